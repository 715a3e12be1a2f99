"""The deadline rules page: the clock engine's table with the periods in force, the federal
holidays that business-day clocks skip, and a calculator for one rule and one start."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import clocks
from .deadline_forms import DeadlineCalculatorForm


@login_required
@require_GET
def deadline_rules(request: HttpRequest) -> HttpResponse:
    """Every signed-in user: the rules are law and the agency's settings, nothing from a file."""
    today = timezone.localdate()
    form = DeadlineCalculatorForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        result = _calculation(form.cleaned_data["rule"], form.cleaned_data["start"], today=today)
    rules = [(rule, clocks.amount_in_force(rule)) for rule in clocks.RULES]
    return render(
        request,
        "core/deadlines.html",
        {
            "rules": rules,
            "form": form,
            "result": result,
            "today": today,
            "next_year": today.year + 1,
            "holidays": clocks.federal_holidays(today.year, today.year + 1),
        },
    )


def _calculation(code: str, start, *, today) -> dict:
    rule = clocks.rule_for(code)
    due = clocks.due_on(code, start)
    first, last = sorted((start, due))
    skipped = []
    if rule.unit == clocks.Unit.BUSINESS_DAYS:
        days = (first + timedelta(days=n) for n in range(1, (last - first).days + 1))
        skipped = [(day, clocks.holiday_name(day)) for day in days if clocks.holiday_name(day)]
    follow_on = clocks.rule_for(rule.then) if rule.then else None
    return {
        "rule": rule,
        "amount": clocks.amount_in_force(rule),
        "start": start,
        "due": due,
        "days_left": clocks.days_left(code, due, today=today),
        "holidays_inside": skipped,
        "follow_on": follow_on,
        "follow_on_due": clocks.due_on(follow_on.code, due) if follow_on else None,
    }
