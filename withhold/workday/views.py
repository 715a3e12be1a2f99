"""The home page: what is due for the signed-in user, soonest first, one click from each piece
of work (``selectors.home_sections``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    sections = selectors.home_sections(user=request.user, today=today)
    return render(request, "workday/home.html", {"sections": sections, "today": today})
