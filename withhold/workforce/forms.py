"""Workforce forms: shape and types only; the rules are in ``services.py`` and ``staffing.py``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from withhold.cases.models import Phase
from withhold.cases.phases import PHASE_ORDER
from withhold.core.forms import DateInput, WholeNumberField

from . import selectors
from .models import Category, Competency, Level, TrainingStatus
from .services import ScenarioInputs, review_queue_input
from .staffing import PhaseInput, ReviewQueueInput

BLANK = [("", "—")]


class ScenarioForm(forms.Form):
    """The staffing model's inputs: demand, people, and per phase the work and the target."""

    name = forms.CharField(
        label=_("Scenario name"),
        max_length=120,
        required=False,
        help_text=_("Needed only to save the scenario."),
    )
    allegations_per_year = forms.FloatField(
        label=_("Expected allegations per year"), min_value=0, max_value=1_000_000
    )
    case_share = forms.FloatField(
        label=_("Share of allegations that become cases (0–1)"), min_value=0, max_value=1
    )
    analysts_on_board = WholeNumberField(
        label=_("Analysts on board"), min_value=0, max_value=10_000
    )
    productive_hours_per_month = forms.FloatField(
        label=_("Productive hours per analyst per month"), min_value=1, max_value=744
    )
    max_utilisation = forms.FloatField(
        label=_("Highest planned utilisation (0–1)"),
        min_value=0.05,
        max_value=1,
        help_text=_("1 plans analysts fully busy; below 1 keeps slack for surges and leave."),
    )
    # The CEE review queue: left out of the scenario when no reviews a year are given.
    cee_reviews_per_year = forms.FloatField(
        label=_("CEE reviews per year (proof reviews and UFLPA requests)"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("Leave empty to leave the CEE review queue out."),
    )
    cee_hours_per_review = forms.FloatField(
        label=_("CEE specialist hours per review"),
        min_value=0.1,
        max_value=10_000,
        required=False,
    )
    cee_target_days = forms.FloatField(
        label=_("CEE review: target days to a recommendation"),
        min_value=1,
        max_value=10_000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.phase_rows = []
        for phase in PHASE_ORDER:
            label = Phase(phase).label
            share = forms.FloatField(
                label=_("%(p)s: share of cases reaching it (0–1)") % {"p": label},
                min_value=0,
                max_value=1,
            )
            hours = forms.FloatField(
                label=_("%(p)s: hours of work per case") % {"p": label},
                min_value=0.1,
                max_value=100_000,
            )
            target = forms.FloatField(
                label=_("%(p)s: target days in phase") % {"p": label},
                min_value=1,
                max_value=10_000,
            )
            self.fields[f"{phase}_share"] = share
            self.fields[f"{phase}_hours"] = hours
            self.fields[f"{phase}_target"] = target
            self.phase_rows.append(
                (label, self[f"{phase}_share"], self[f"{phase}_hours"], self[f"{phase}_target"])
            )

    @staticmethod
    def initial_from_defaults(defaults: dict) -> dict:
        initial = {k: v for k, v in defaults.items() if k != "phases"}
        for phase, values in defaults["phases"].items():
            initial[f"{phase}_share"] = values["share"]
            initial[f"{phase}_hours"] = values["hours_per_case"]
            initial[f"{phase}_target"] = values["target_days"]
        return initial

    def inputs(self) -> ScenarioInputs:
        data = self.cleaned_data
        return ScenarioInputs(
            allegations_per_year=data["allegations_per_year"],
            case_share=data["case_share"],
            analysts_on_board=data["analysts_on_board"],
            productive_hours_per_month=data["productive_hours_per_month"],
            max_utilisation=data["max_utilisation"],
            phases=[
                PhaseInput(
                    phase=phase,
                    share=data[f"{phase}_share"],
                    hours_per_case=data[f"{phase}_hours"],
                    target_days=data[f"{phase}_target"],
                )
                for phase in PHASE_ORDER
            ],
            review_queue=self._review_queue(data),
        )

    @staticmethod
    def _review_queue(data: dict) -> ReviewQueueInput | None:
        return review_queue_input(
            reviews_per_year=data.get("cee_reviews_per_year"),
            hours_per_review=data.get("cee_hours_per_review"),
            target_days=data.get("cee_target_days"),
        )


class CompetencyForm(forms.Form):
    name = forms.CharField(label=_("Competency"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("What it means in the work"), required=False, widget=forms.Textarea({"rows": 2})
    )
    required_level = forms.TypedChoiceField(
        label=_("Required level"), choices=Level.choices, coerce=int
    )
    required_headcount = WholeNumberField(
        label=_("Staff needed at that level"), min_value=0, max_value=500
    )
    is_active = forms.BooleanField(label=_("On the required list"), required=False, initial=True)


class CompetencyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"), choices=BLANK + Category.choices, required=False
    )
    active = forms.ChoiceField(
        label=_("On the list"),
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Retired"))],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("category", _("Category")),
            ("name", _("Name")),
            ("-required_headcount", _("Headcount needed")),
        ],
        required=False,
    )


def _people():
    return selectors.staff_users()


class StaffCompetencyForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=Competency.objects.filter(is_active=True)
    )
    level = forms.TypedChoiceField(label=_("Level held"), choices=Level.choices, coerce=int)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=300,
        help_text=_("What shows the level: a course, a test, casework."),
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people()


class StaffCompetencyFilterForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=Competency.objects.all(), required=False
    )
    below_required = forms.BooleanField(label=_("Below the required level only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("person", _("Person")),
            ("competency", _("Competency")),
            ("-level", _("Level, highest first")),
            ("-assessed_on", _("Assessed, newest first")),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()


class TrainingPlanForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=Competency.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("Course or activity"), max_length=200)
    target_level = forms.TypedChoiceField(
        label=_("Level once completed"), choices=Level.choices, coerce=int
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people()


class TrainingFilterForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=Competency.objects.all(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=BLANK + TrainingStatus.choices, required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("due_on", _("Due date")),
            ("person", _("Person")),
            ("competency", _("Competency")),
            ("status", _("Status")),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()


class TrainingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=TrainingStatus.choices)
