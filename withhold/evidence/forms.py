"""Forms for evidence pages: shape and types only; the services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from withhold.cases.models import CaseEntity
from withhold.core.forms import DateInput, IdField, OwnIdsForm
from withhold.entities.models import Entity
from withhold.reference.countries import country_choices
from withhold.reference.models import EvidenceSource, IloIndicator

from .models import EvidenceItem, InformationCredibility, SourceReliability


def _help(name: str) -> str:
    return EvidenceItem._meta.get_field(name).help_text


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(choices=EvidenceItem.Kind.choices, help_text=_help("kind"))
    source = forms.ChoiceField(choices=EvidenceSource.choices, help_text=_help("source"))
    obtained_on = forms.DateField(widget=DateInput(), help_text=_help("obtained_on"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_help("description")
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("ILO indicators supported"),
        queryset=IloIndicator.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_help("indicators"),
    )
    language = forms.CharField(max_length=40, initial="English", help_text=_help("language"))
    translation_status = forms.ChoiceField(
        choices=EvidenceItem.Translation.choices, help_text=_help("translation_status")
    )
    source_reliability = forms.ChoiceField(
        choices=SourceReliability.choices, help_text=_help("source_reliability")
    )
    information_credibility = forms.ChoiceField(
        choices=InformationCredibility.choices, help_text=_help("information_credibility")
    )
    law_enforcement_sensitive = forms.BooleanField(
        required=False, help_text=_help("law_enforcement_sensitive")
    )
    file = forms.FileField(
        required=False, help_text=_("Optional. PDF, image, Office document, text or CSV.")
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["indicators"] = [i.pk for i in data["indicators"]]
        data["uploaded_file"] = data.pop("file")
        return data


class EvidenceRemoveForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Why the evidence is removed.")
    )


class SupplyLinkForm(forms.Form):
    supplier = forms.ModelChoiceField(queryset=Entity.objects.none())
    buyer = forms.ModelChoiceField(queryset=Entity.objects.none())
    goods = forms.CharField(max_length=200, help_text=_("What passes along the link."))
    evidence = forms.ModelMultipleChoiceField(
        queryset=EvidenceItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The evidence that shows the link exists."),
    )

    def __init__(self, *args, entities=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entities is not None:
            self.fields["supplier"].queryset = entities
            self.fields["buyer"].queryset = entities
        if items is not None:
            self.fields["evidence"].queryset = items


class CaseEntityAddForm(OwnIdsForm):
    """Add an entity to the case: an existing record, or a new one checked for duplicates."""

    id_prefix = "entity"  # drawn on the evidence page beside the evidence form

    role = forms.ChoiceField(choices=CaseEntity.Role.choices)
    entity = forms.ModelChoiceField(
        label=_("Existing entity"), queryset=Entity.objects.all(), required=False
    )
    name = forms.CharField(label=_("Or a new entity's name"), max_length=255, required=False)
    kind = forms.ChoiceField(choices=Entity.Kind.choices, initial=Entity.Kind.COMPANY)
    country = forms.ChoiceField(choices=[], required=False)
    address = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm_new = forms.BooleanField(
        label=_("None of the suggestions is this entity: create a new record"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]

    def clean(self):
        data = super().clean()
        if not data.get("entity") and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose an existing entity or enter a new one's name."))
        return data


class MergeForm(forms.Form):
    duplicate = IdField()


class TradeUploadForm(OwnIdsForm):
    id_prefix = "trade"  # drawn on the evidence page beside the evidence form

    file = forms.FileField(
        help_text=_(
            "CSV or Excel (.xlsx) with the columns date, importer, manufacturer, hts, quantity, "
            "value, port; dates as YYYY-MM-DD."
        )
    )
