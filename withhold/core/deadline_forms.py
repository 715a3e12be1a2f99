"""The deadline calculator's form: a rule of the clock engine and the day its clock starts."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from . import clocks
from .forms import DateInput

# The years the calculator accepts: wide enough for any record, narrow enough that a period of
# months or days never leaves the calendar.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


class DeadlineCalculatorForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("Rule"), choices=[(rule.code, rule.name) for rule in clocks.RULES]
    )
    start = forms.DateField(
        label=_("Day the clock starts"),
        widget=DateInput(),
        help_text=_("The agency's day of the starting event (or the planned issuance)."),
    )

    def clean_start(self) -> date:
        start = self.cleaned_data["start"]
        if not FIRST_DAY <= start <= LAST_DAY:
            raise forms.ValidationError(
                _("Give a day from %(first)s to %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
            )
        return start
