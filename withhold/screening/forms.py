"""Screening forms: shape and types only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from withhold.core.forms import DateInput, WholeNumberField

from .models import HitJudgement, ScreeningHit, ScreeningRun

BLANK = [("", "—")]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of entry lines (CSV or XLSX)"),
        help_text=_(
            "Columns: line_id and at least one of importer_name, manufacturer_name, "
            "shipper_name, vessel_name; also entry_number, entry_date, manufacturer_address, "
            "country_of_origin, hts_code, description. Other columns are ignored."
        ),
    )


class RunFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=BLANK + ScreeningRun.Status.choices, required=False
    )
    origin = forms.ChoiceField(
        label=_("Origin"),
        required=False,
        choices=BLANK
        + [
            ("upload", _("Uploaded files")),
            ("rescreen", _("Re-screenings after an order or list change")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("-created", _("Newest first")), ("created", _("Oldest first"))],
    )


class HitFilterForm(forms.Form):
    q = forms.CharField(label=_("Line, entry, company or reference"), required=False)
    kind = forms.ChoiceField(
        label=_("Hit kind"), choices=BLANK + ScreeningHit.Kind.choices, required=False
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=BLANK + ScreeningHit.Action.choices, required=False
    )
    min_score = WholeNumberField(
        label=_("Score at least"), min_value=0, max_value=100, required=False
    )
    judgement = forms.ChoiceField(
        label=_("Judgement"),
        required=False,
        choices=[
            ("", _("All but false positives")),
            ("unjudged", _("Not judged yet")),
            (HitJudgement.Verdict.TRUE_MATCH, _("True matches")),
            (HitJudgement.Verdict.FALSE_POSITIVE, _("False positives")),
            ("all", _("All hits")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("line", _("File order")),
            ("-score", _("Score, highest first")),
            ("score", _("Score, lowest first")),
            ("ref", _("Reference")),
        ],
    )


class EntityListForm(forms.Form):
    source = forms.SlugField(
        label=_("Source"),
        max_length=80,
        help_text=_(
            "Short name of the list; loading under an existing name makes its next version "
            "(the earlier versions are kept)."
        ),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name (required), aliases (separated by ;), country, address, source, "
            "number (the list's own), effective_date (YYYY-MM-DD, per entry)."
        ),
    )
    effective_on = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "When this version's changes took effect (for the UFLPA Entity List, the effective "
            "date of the Federal Register notice). Empty: today."
        ),
    )


class VersionDiffForm(forms.Form):
    old = forms.IntegerField(label=_("From version"), min_value=1, required=False)
    new = forms.IntegerField(label=_("To version"), min_value=1, required=False)
    kind = forms.ChoiceField(
        label=_("Change"),
        required=False,
        choices=[
            ("", _("All changes")),
            ("added", _("Added")),
            ("removed", _("Removed")),
            ("changed", _("Changed")),
        ],
    )


class JudgementForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Judgement"), choices=HitJudgement.Verdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you checked (address, product, ownership)."),
    )


class JudgementFilterForm(forms.Form):
    q = forms.CharField(label=_("Party, reference or note"), required=False)
    verdict = forms.ChoiceField(
        label=_("Judgement"), choices=BLANK + HitJudgement.Verdict.choices, required=False
    )
    kind = forms.ChoiceField(
        label=_("Hit kind"), choices=BLANK + ScreeningHit.Kind.choices, required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-judged", _("Newest first")),
            ("judged", _("Oldest first")),
            ("party", _("Party")),
            ("ref", _("Reference")),
        ],
    )


class EntryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, alias, address or number"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("number", _("List number")),
            ("-number", _("List number, last first")),
            ("name", _("Name")),
            ("country", _("Country")),
        ],
    )
