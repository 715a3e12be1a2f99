"""Forms check shape and types; the rules live in ``services.py``."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from withhold.accounts.backends import PERMISSIONS
from withhold.core.forms import (
    DateInput,
    IdField,
    KeptChoicesModelChoiceField,
    OwnIdsForm,
    WholeNumberField,
)
from withhold.entities.models import Entity
from withhold.entities.selectors import entity_list
from withhold.reference.countries import country_choices, subdivision_choices
from withhold.reference.models import Commodity, IloIndicator
from withhold.reference.selectors import commodity_options

from . import phases
from .models import (
    Case,
    CaseDocument,
    CaseEntity,
    ClosingOutcome,
    InactiveReason,
    Phase,
    Priority,
    ReferralSource,
    Status,
    SuspensionReason,
)
from .selectors import CASE_SORTS, RELEVANCE_SORT
from .services import ASSIGN_NOTHING, ASSIGN_SELF, case_assignment_offer

User = get_user_model()
BLANK = [("", "—")]


def users_with_perm(codename: str):
    app_label, code = codename.split(".")
    perm = Q(
        groups__permissions__codename=code, groups__permissions__content_type__app_label=app_label
    )
    return User.objects.filter(Q(is_active=True) & (perm | Q(is_superuser=True))).distinct()


def user_options(codename: str) -> list[tuple[int, str]]:
    """``users_with_perm(codename)`` as ``(pk, name)`` choices, kept in the shared cache until
    a change to users or roles (``accounts.backends.PERMISSIONS``)."""
    return PERMISSIONS.remember(
        f"users-with:{codename}",
        lambda: [(u.pk, str(u)) for u in users_with_perm(codename)],
    )


class CaseForm(forms.Form):
    title = forms.CharField(max_length=200, help_text=Case._meta.get_field("title").help_text)
    allegation_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=Case._meta.get_field("allegation_summary").help_text,
    )
    commodity = KeptChoicesModelChoiceField(
        queryset=Commodity.objects.all(),
        options=commodity_options,
        help_text=Case._meta.get_field("commodity").help_text,
    )
    hts_code = forms.CharField(
        label=_("HTS code"),
        required=False,
        max_length=16,
        help_text=Case._meta.get_field("hts_code").help_text,
    )
    source_country = forms.ChoiceField(
        choices=[], help_text=Case._meta.get_field("source_country").help_text
    )
    source_region = forms.ChoiceField(
        choices=BLANK, required=False, help_text=Case._meta.get_field("source_region").help_text
    )
    referral_source = forms.ChoiceField(
        choices=BLANK + list(ReferralSource.choices),
        help_text=Case._meta.get_field("referral_source").help_text,
    )
    received_on = forms.DateField(
        widget=DateInput(), help_text=Case._meta.get_field("received_on").help_text
    )
    opened_on = forms.DateField(
        widget=DateInput(), required=False, help_text=Case._meta.get_field("opened_on").help_text
    )
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.MEDIUM)
    assigned_analyst = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text=Case._meta.get_field("assigned_analyst").help_text,
    )
    supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text=Case._meta.get_field("supervisor").help_text,
    )
    ilo_indicators = forms.ModelMultipleChoiceField(
        label=_("ILO indicators"),
        queryset=IloIndicator.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=Case._meta.get_field("ilo_indicators").help_text,
    )
    estimated_annual_import_value = forms.DecimalField(
        label=_("Estimated annual U.S. import value (USD)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    investigative_challenges = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Case._meta.get_field("investigative_challenges").help_text,
    )
    caatsa = forms.BooleanField(
        label=_("CAATSA: North Korean labor involved"),
        required=False,
        help_text=Case._meta.get_field("caatsa").help_text,
    )
    law_enforcement_sensitive = forms.BooleanField(
        required=False, help_text=Case._meta.get_field("law_enforcement_sensitive").help_text
    )
    # The case's version when the edit form was opened (blank when opening a case).
    version = WholeNumberField(widget=forms.HiddenInput, required=False, min_value=1)

    # No evidence-source field: a case's evidence sources are derived from its evidence items
    # (services.case_evidence_sources_derive); a ticked box sent anyway is ignored.

    def __init__(
        self,
        *args,
        actor,
        case: Case | None = None,
        country: str = "",
        may_mark_sensitive: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not may_mark_sensitive:
            # A role that cannot see law-enforcement-sensitive cases is not offered the flag: it
            # would lose sight of the case it marks (``services.case_create`` refuses it too).
            del self.fields["law_enforcement_sensitive"]
        self.fields["source_country"].choices = BLANK + country_choices()
        chosen = (self.data.get("source_country") if self.is_bound else None) or country
        self.fields["source_region"].choices = BLANK + subdivision_choices(chosen or "")
        self.fields["assigned_analyst"].queryset = users_with_perm("cases.change_case")
        self.fields["supervisor"].queryset = users_with_perm("cases.assign_case")
        # Offer only what the actor may save (the service refuses the rest by the same rule): a
        # field they may not change is shown with its value and not sent back.
        for name, offer in case_assignment_offer(actor, case).items():
            field = self.fields[name]
            if offer == ASSIGN_SELF:
                field.queryset = field.queryset.filter(pk=actor.pk)
            elif offer == ASSIGN_NOTHING:
                field.disabled = True
                field.help_text = _("Only a supervisor can change this.")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("version") is None:
            data.pop("version", None)
        data["ilo_indicators"] = [i.pk for i in data["ilo_indicators"]]
        if not data.get("opened_on"):
            data.pop("opened_on")
        return data


def case_form_initial(case: Case) -> dict:
    """The edit form's values, with the case's ``version`` (sent back hidden: a save from a form
    opened before someone else's save is refused)."""
    initial = {name: getattr(case, name) for name in CaseForm.base_fields if hasattr(case, name)}
    initial["ilo_indicators"] = list(case.ilo_indicators.all())
    initial["assigned_analyst"] = case.assigned_analyst_id
    initial["supervisor"] = case.supervisor_id
    initial["commodity"] = case.commodity_id
    return initial


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    phase = forms.ChoiceField(choices=[("", _("Any phase"))] + list(Phase.choices), required=False)
    status = forms.ChoiceField(
        choices=[("", _("Any status"))] + list(Status.choices), required=False
    )
    country = forms.ChoiceField(choices=[], required=False)
    commodity = KeptChoicesModelChoiceField(
        queryset=Commodity.objects.all(),
        options=commodity_options,
        required=False,
        empty_label=_("Any commodity"),
    )
    analyst = KeptChoicesModelChoiceField(
        queryset=users_with_perm("cases.change_case"),
        options=lambda: user_options("cases.change_case"),
        required=False,
        empty_label=_("Any analyst"),
    )
    referral_source = forms.ChoiceField(
        choices=[("", _("Any source"))] + list(ReferralSource.choices), required=False
    )
    priority = forms.ChoiceField(
        choices=[("", _("Any priority"))] + list(Priority.choices), required=False
    )
    received_from = forms.DateField(widget=DateInput(), required=False)
    received_to = forms.DateField(widget=DateInput(), required=False)
    opened_from = forms.DateField(widget=DateInput(), required=False)
    opened_to = forms.DateField(widget=DateInput(), required=False)
    entity = IdField(required=False)
    sort = forms.ChoiceField(
        choices=[(k, k) for k in CASE_SORTS]
        + [(f"-{k}", f"-{k}") for k in CASE_SORTS]
        + [(RELEVANCE_SORT, RELEVANCE_SORT)],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + country_choices()

    def clean(self):
        data = super().clean()
        for start, end in (("received_from", "received_to"), ("opened_from", "opened_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("The end date is before the start date."))
        return data


class PhaseTransitionForm(forms.Form):
    to_phase = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: anything the next person should know about this step."),
    )

    def __init__(self, *args, backward: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if backward:
            self.fields["reason"].label = _("Reason")
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("Why the case goes back to an earlier phase.")


class StatusTransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    reason_code = forms.ChoiceField(choices=[], required=False, label=_("Reason"))
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Explanation")
    )

    REASONS = {
        Status.SUSPENDED: SuspensionReason.choices,
        Status.INACTIVE: InactiveReason.choices,
        Status.CLOSED: ClosingOutcome.choices,
    }

    def __init__(self, *args, to_status: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        reasons = self.REASONS.get(to_status)
        if reasons:
            self.fields["reason_code"].choices = BLANK + [
                (value, label)
                for value, label in reasons
                if value not in phases.NOT_CHOOSABLE_REASONS
            ]
            self.fields["reason_code"].required = True
        else:
            del self.fields["reason_code"]
            self.fields["reason"].help_text = _("Why the case is being reactivated.")


ENTITY_CHOICES_LIMIT = 50


def entity_choices(*, search: str, country: str):
    """At most ``ENTITY_CHOICES_LIMIT`` entities to offer: those whose name has every word of
    ``search`` (any country), or without a search those of ``country``."""
    if search.strip():
        return entity_list(text=search)[:ENTITY_CHOICES_LIMIT]
    return entity_list(country=country)[:ENTITY_CHOICES_LIMIT]


class EntityLinkForm(forms.Form):
    """Link an existing entity, or create a new one and link it, in one step."""

    entity = forms.ModelChoiceField(
        queryset=Entity.objects.all(),
        required=False,
        empty_label=_("— create a new entity below —"),
        label=_("Existing entity"),
    )
    role = forms.ChoiceField(choices=CaseEntity.Role.choices)
    new_name = forms.CharField(label=_("New entity name"), required=False, max_length=255)
    new_kind = forms.ChoiceField(
        label=_("Kind"), choices=Entity.Kind.choices, required=False, initial=Entity.Kind.COMPANY
    )
    new_country = forms.ChoiceField(label=_("Country"), choices=[], required=False)
    confirm_new = forms.BooleanField(
        label=_("Create it even if Withhold finds a similar entity on file"), required=False
    )
    new_address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, search: str = "", country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_country"].choices = BLANK + country_choices()
        if not self.is_bound:
            # Offer a short list (matches for ``search``, else the source country's entities),
            # never every entity: an agency holds tens of thousands.
            self.fields["entity"].queryset = entity_choices(search=search, country=country)

    def clean(self):
        data = super().clean()
        if not data.get("entity") and not (data.get("new_name") or "").strip():
            raise forms.ValidationError(
                _("Choose an existing entity or give the name of a new one.")
            )
        if data.get("entity") and (data.get("new_name") or "").strip():
            raise forms.ValidationError(
                _("Choose an existing entity or create a new one, not both.")
            )
        return data


class CaseUpdateForm(OwnIdsForm):
    id_prefix = "update"  # drawn on the case page beside the other forms

    occurred_on = forms.DateField(widget=DateInput(), label=_("Date"))
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("What happened"),
        help_text=_("A dated narrative entry. Structured facts belong in the case's fields."),
    )


class TaskForm(OwnIdsForm):
    id_prefix = "task"  # drawn on the case page beside the other forms

    title = forms.CharField(max_length=200)
    owner = KeptChoicesModelChoiceField(
        queryset=users_with_perm("cases.change_task"),
        options=lambda: user_options("cases.change_task"),
    )
    due_on = forms.DateField(widget=DateInput(), label=_("Due on"))
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HsiReferralForm(OwnIdsForm):
    id_prefix = "hsi"  # drawn on the case page beside the other forms

    notified_on = forms.DateField(widget=DateInput(), label=_("HSI notified on"))
    case_reference = forms.CharField(
        required=False, max_length=40, label=_("HSI case reference (if given)")
    )


class DocumentForm(OwnIdsForm):
    id_prefix = "document"  # drawn on the case page beside the other forms

    kind = forms.ChoiceField(choices=CaseDocument.Kind.choices)
    title = forms.CharField(max_length=200)
    file = forms.FileField(
        help_text=_("PDF, image, Office document, CSV or text; checked by content.")
    )


class CaseDeleteForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("Why delete this case?")
    )
