from django import forms
from django.utils.translation import gettext_lazy as _

from withhold.cases.models import Status

from .models import LegacyImportRun
from .selectors import REPORT_STATUSES

SORTS = [
    ("number", _("Case number")),
    ("-opened_on", _("Newest opened")),
    ("opened_on", _("Oldest opened")),
    ("analyst", _("Analyst")),
]


class DrillDownForm(forms.Form):
    q = forms.CharField(label=_("Search number or title"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active, suspended and inactive"))]
        + [(s, Status(s).label) for s in REPORT_STATUSES],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)


class LegacyUploadForm(forms.Form):
    file = forms.FileField(label=_("Legacy spreadsheet (.xlsx or .csv)"))
    mapping = forms.FileField(label=_("Mapping file (.toml)"))
    dry_run = forms.BooleanField(
        label=_("Dry run: show the report and write nothing"), required=False, initial=True
    )


class MappingSuggestForm(forms.Form):
    file = forms.FileField(label=_("Legacy spreadsheet (.xlsx or .csv)"))
    sheet = forms.CharField(
        label=_("Sheet (for a workbook with several)"), required=False, max_length=100
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewQueueForm(forms.Form):
    q = forms.CharField(
        label=_("Search case, title or legacy number"), required=False, max_length=100
    )
    run = forms.ModelChoiceField(
        label=_("Import"),
        required=False,
        queryset=LegacyImportRun.objects.all(),
        empty_label=_("Any"),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("row", _("File and row")),
            ("case", _("Case number")),
            ("analyst", _("Analyst")),
            ("-imported", _("Newest import")),
        ],
    )
