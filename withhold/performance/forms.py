"""Outreach and target forms: shape and types only; the rules are in ``services.py``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from withhold.core.forms import DateInput, FastSelect, WholeNumberField
from withhold.reference.countries import country_choices

from .models import Indicator, OutreachAudience, OutreachKind
from .selectors import OUTREACH_SORTS

BLANK = [("", "—")]


class OutreachForm(forms.Form):
    held_on = forms.DateField(label=_("Date held"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=BLANK + OutreachKind.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=BLANK + OutreachAudience.choices)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=BLANK + country_choices(),
        widget=FastSelect,
        help_text=_("Where it took place or, for a remote activity, where the audience is."),
    )
    organisations = forms.CharField(
        label=_("Organisations taking part"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    participants = WholeNumberField(
        label=_("Participants"),
        min_value=0,
        help_text=_("People who took part, not counting the division's own staff."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutreachFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + OutreachKind.choices, required=False)
    audience = forms.ChoiceField(
        label=_("Audience"), choices=BLANK + OutreachAudience.choices, required=False
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=BLANK + country_choices(), required=False, widget=FastSelect
    )
    held_from = forms.DateField(label=_("Held from"), required=False, widget=DateInput())
    held_to = forms.DateField(label=_("Held to"), required=False, widget=DateInput())
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-held_on", _("Newest first")),
            ("held_on", _("Oldest first")),
            ("title", _("Title")),
            ("kind", _("Kind")),
            ("country", _("Country")),
            ("-participants", _("Most participants")),
            ("participants", _("Fewest participants")),
        ],
    )

    def clean_sort(self):
        value = self.cleaned_data.get("sort") or "-held_on"
        return value if value in OUTREACH_SORTS else "-held_on"


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-\d{2}$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Give the month as YYYY-MM, e.g. 2026-10.")},
    )


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    fiscal_year = WholeNumberField(
        label=_("Fiscal year"),
        min_value=2000,
        help_text=_("FY2027 runs from 1 October 2026 to 30 September 2027."),
    )
    target = WholeNumberField(
        label=_("Target"),
        min_value=0,
        help_text=_(
            "The full-year count aimed for; for active investigations, the level at each month end."
        ),
    )
    baseline = WholeNumberField(
        label=_("Baseline (optional)"),
        min_value=0,
        required=False,
        help_text=_("Leave empty to use the figure computed from the prior fiscal year."),
    )
    reason = forms.CharField(label=_("Why this target"), widget=forms.Textarea(attrs={"rows": 3}))


class TargetHistoryFilterForm(forms.Form):
    indicator = forms.ChoiceField(
        label=_("Indicator"), choices=BLANK + Indicator.choices, required=False
    )
    fiscal_year = WholeNumberField(label=_("Fiscal year"), required=False, min_value=2000)
