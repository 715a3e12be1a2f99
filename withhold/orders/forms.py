"""Order forms: shape and types only; the rules are in ``services.py`` and ``lifecycle.py``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from withhold.core.forms import DateInput, WholeNumberField
from withhold.entities.models import Entity
from withhold.reference.countries import country_choices
from withhold.reference.hs import hs_code_problem, hs_normalise
from withhold.reference.models import Commodity

from .models import (
    ApprovalDecision,
    Kind,
    LegalStandard,
    OrderModification,
    Petition,
    PetitionDocument,
    ScopeRule,
    Status,
)
from .selectors import register_kind_choices, register_status_choices

BLANK = [("", "—")]


class OrderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of order"), choices=Kind.choices)
    case_number = forms.CharField(
        label=_("Backing case number"),
        max_length=16,
        help_text=_("The case whose evidence backs the order, e.g. FL-2026-0001."),
    )
    merchandise = forms.CharField(label=_("Merchandise"), widget=forms.Textarea(attrs={"rows": 2}))
    country = forms.ChoiceField(
        label=_("Country of production"), choices=BLANK + country_choices(), required=False
    )
    published_entity = forms.CharField(
        label=_("Manufacturer or entity as published"),
        required=False,
        max_length=400,
        help_text=_("Leave empty to use the entity and vessel scope rules at issuance."),
    )
    internal_notes = forms.CharField(
        label=_("Internal notes (law-enforcement-sensitive, never published)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    manufacturer = forms.ModelChoiceField(
        label=_("Manufacturer (adds a named-entity scope rule)"),
        queryset=Entity.objects.order_by("name"),
        required=False,
    )
    hts_code = forms.CharField(
        label=_("HTS code (adds a country-and-commodity scope rule)"),
        required=False,
        max_length=14,
        help_text=_("Needs the country of production."),
    )

    def clean(self):
        data = super().clean()
        code = (data.get("hts_code") or "").strip()
        if code:
            if problem := hs_code_problem(hs_normalise(code)):
                self.add_error("hts_code", problem)
            elif not data.get("country"):
                self.add_error("country", _("Choose the country the HTS code's rule covers."))
            data["hts_code"] = hs_normalise(code)
        return data

    def scope_rules(self) -> list[dict]:
        """The scope rules the draft starts with: the manufacturer and the country's goods of
        the HTS code, as chosen."""
        data = self.cleaned_data
        rules = []
        if data.get("manufacturer"):
            rules.append({"kind": "entity", "entity": data["manufacturer"]})
        if data.get("hts_code"):
            rules.append(
                {
                    "kind": "country_commodity",
                    "country": data["country"],
                    "hts_headings": [data["hts_code"]],
                    "merchandise": data["merchandise"],
                }
            )
        return rules


class ScopeRuleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of rule"),
        choices=[(k, label) for k, label in ScopeRule.Kind.choices if k not in ScopeRule.EXCLUSIONS]
        + [(k, label) for k, label in ScopeRule.Kind.choices if k in ScopeRule.EXCLUSIONS],
    )
    entity = forms.ModelChoiceField(
        label=_("Entity"), queryset=Entity.objects.order_by("name"), required=False
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=BLANK + country_choices(), required=False
    )
    region_code = forms.CharField(
        label=_("Region (ISO 3166-2 code)"), required=False, max_length=10
    )
    region_name = forms.CharField(label=_("Region or area name"), required=False, max_length=200)
    commodity = forms.ModelChoiceField(
        label=_("Commodity"), queryset=Commodity.objects.order_by("name"), required=False
    )
    hts_headings = forms.CharField(
        label=_("HS / HTS headings"),
        required=False,
        help_text=_("Separate codes with commas, e.g. 2401, 2402."),
    )
    merchandise = forms.CharField(label=_("Merchandise in words"), required=False, max_length=300)
    vessel_name = forms.CharField(label=_("Vessel name"), required=False, max_length=120)
    vessel_flag = forms.ChoiceField(
        label=_("Vessel flag"), choices=BLANK + country_choices(), required=False
    )
    imo_number = forms.CharField(label=_("IMO number"), required=False, max_length=7)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["hts_headings"] = [c.strip() for c in data["hts_headings"].split(",") if c.strip()]
        return {k: v for k, v in data.items() if v not in (None, "", [])} | {"kind": data["kind"]}


class LegalOpinionForm(forms.Form):
    sufficient = forms.TypedChoiceField(
        label=_("Is the evidence legally sufficient?"),
        choices=[("yes", _("Sufficient")), ("no", _("Not sufficient"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    standard = forms.ChoiceField(
        label=_("Standard applied"), choices=LegalStandard.choices, widget=forms.RadioSelect
    )
    opinion_on = forms.DateField(label=_("Date of the opinion"), widget=DateInput())
    summary = forms.CharField(
        label=_("Reasoning in brief"), widget=forms.Textarea(attrs={"rows": 4})
    )
    memo = forms.FileField(label=_("Opinion memo"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ApprovalDecision.Decision.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    planned_issue_on = forms.DateField(
        label=_("Planned issuance date"),
        required=False,
        widget=DateInput(),
        help_text=_("Coordination tasks are scheduled in the two weeks before it."),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("Effective date"), widget=DateInput())
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=DateInput(),
        help_text=_("Required for a Finding (Federal Register and Customs Bulletin)."),
    )


class ModificationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Change"),
        choices=[
            (k, label)
            for k, label in OrderModification.Kind.choices
            if k != OrderModification.Kind.REVIEW
        ],
        widget=forms.RadioSelect,
    )
    effective_on = forms.DateField(label=_("Effective date"), widget=DateInput())
    description = forms.CharField(
        label=_("What changed and why (public)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    excluded_importer = forms.CharField(
        label=_("Exclude goods imported by"),
        required=False,
        max_length=255,
        help_text=_("For a partial revocation: the importer whose goods leave the order."),
    )
    excluded_producer = forms.CharField(
        label=_("Exclude goods produced by"), required=False, max_length=255
    )
    excluded_merchandise = forms.CharField(
        label=_("Exclude merchandise"), required=False, max_length=300
    )

    def exclusions(self) -> list[dict]:
        data = self.cleaned_data
        found = []
        if data.get("excluded_importer"):
            found.append({"kind": "excluded_importer", "entity": data["excluded_importer"]})
        if data.get("excluded_producer"):
            found.append({"kind": "excluded_producer", "entity": data["excluded_producer"]})
        if data.get("excluded_merchandise"):
            found.append(
                {"kind": "excluded_merchandise", "merchandise": data["excluded_merchandise"]}
            )
        return found


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Date of the review"), widget=DateInput())
    description = forms.CharField(
        label=_("What the review found"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PetitionForm(forms.Form):
    request = forms.ChoiceField(
        label=_("You ask CBP to"), choices=Petition.Request.choices, widget=forms.RadioSelect
    )
    petitioner_name = forms.CharField(label=_("Company asking"), max_length=255)
    grounds = forms.CharField(
        label=_("Why the order should change"), widget=forms.Textarea(attrs={"rows": 5})
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)
    translation = forms.FileField(label=_("Translation of the evidence"), required=False)
    translation_language = forms.CharField(
        label=_("Language of the translation"), required=False, max_length=40
    )


class PetitionDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PetitionDocument.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.CharField(label=_("Language"), required=False, max_length=40)
    file = forms.FileField(label=_("File"))


class PetitionReviewForm(forms.Form):
    notes = forms.CharField(
        label=_("Review of completeness and quality"), widget=forms.Textarea(attrs={"rows": 4})
    )


class PetitionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(s, label) for s, label in Petition.State.choices if s in Petition.DECIDED],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    reason = forms.CharField(label=_("Reason (public)"), widget=forms.Textarea(attrs={"rows": 3}))
    excluded_importer = forms.CharField(
        label=_("For a partial grant: exclude goods imported by"), required=False, max_length=255
    )
    excluded_producer = forms.CharField(
        label=_("For a partial grant: exclude goods produced by"), required=False, max_length=255
    )
    excluded_merchandise = forms.CharField(
        label=_("For a partial grant: exclude merchandise"), required=False, max_length=300
    )

    exclusions = ModificationForm.exclusions


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    year = WholeNumberField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    year_from = WholeNumberField(
        label=_("From year"), required=False, min_value=1900, max_value=2100
    )
    year_to = WholeNumberField(label=_("To year"), required=False, min_value=1900, max_value=2100)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=BLANK + [("FV", _("Fishing vessels"))] + country_choices(),
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=BLANK + register_kind_choices(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=BLANK + register_status_choices(), required=False
    )


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + list(Kind.choices), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=BLANK + list(Status.choices),
        required=False,
    )
