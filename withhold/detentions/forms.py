"""Detention forms: shape and types only; the rules are in ``services.py`` and ``lifecycle.py``."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from withhold.accounts.models import User
from withhold.core.forms import DateInput, WholeNumberField
from withhold.entities.models import Entity
from withhold.orders.models import ACTIVE_STATUSES, Order
from withhold.reference.countries import country_choices
from withhold.reference.lists import UFLPA_SOURCE

from .models import Basis, Detention, DetentionDocument, Nexus, Status, UflpaRequest

BLANK = [("", "—")]


class DetentionFilterForm(forms.Form):
    q = forms.CharField(label=_("Entry, merchandise, company or port"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=BLANK + Status.choices, required=False)
    basis = forms.ChoiceField(label=_("Basis"), choices=BLANK + Basis.choices, required=False)
    deemed_excluded = forms.BooleanField(
        label=_("Deemed excluded (UFLPA, no decision in 30 days)"), required=False
    )
    order = forms.CharField(label=_("Order number"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("deadline", _("Deadline, soonest first")),
            ("-deadline", _("Deadline, latest first")),
            ("-notice", _("Notice date, newest first")),
            ("-value", _("Value, highest first")),
            ("entry", _("Entry number")),
        ],
    )


def _officers():
    return (
        User.objects.filter(is_active=True, groups__permissions__codename="dispose_detention")
        .distinct()
        .order_by("last_name", "username")
    )


class DetentionForm(forms.Form):
    entry_number = forms.CharField(
        label=_("Entry number"), max_length=20, help_text=_("AB1-1234567-8")
    )
    entry_line = WholeNumberField(label=_("Entry line"), min_value=1, initial=1)
    port_of_entry = forms.CharField(label=_("Port of entry"), max_length=120)
    imported_on = forms.DateField(label=_("Date of importation"), widget=DateInput())
    notice_on = forms.DateField(label=_("Date of the detention notice"), widget=DateInput())
    importer = forms.ModelChoiceField(
        label=_("Importer of record"), queryset=Entity.objects.order_by("name")
    )
    manufacturer = forms.ModelChoiceField(
        label=_("Manufacturer"), queryset=Entity.objects.order_by("name"), required=False
    )
    country_of_origin = forms.ChoiceField(
        label=_("Country of origin"), choices=BLANK + country_choices()
    )
    merchandise = forms.CharField(label=_("Merchandise"), widget=forms.Textarea(attrs={"rows": 2}))
    hts_code = forms.CharField(label=_("HTS code"), max_length=14)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, decimal_places=2)
    quantity_unit = forms.CharField(label=_("Unit"), max_length=20, initial="pcs")
    value_usd = forms.DecimalField(label=_("Value (USD)"), min_value=0, decimal_places=2)
    basis = forms.ChoiceField(label=_("Basis for detention"), choices=Basis.choices)
    orders = forms.ModelMultipleChoiceField(
        label=_("Order(s) applied"),
        queryset=Order.objects.filter(status__in=ACTIVE_STATUSES).order_by("number"),
        required=False,
        help_text=_("Issued orders only."),
    )
    presented_on = forms.DateField(
        label=_("Date presented for examination"),
        widget=DateInput(),
        required=False,
        help_text=_("UFLPA only: the clocks of 19 CFR 151.16 run from it."),
    )
    uflpa_nexus = forms.ChoiceField(
        label=_("UFLPA nexus"), choices=BLANK + Nexus.choices, required=False
    )
    uflpa_list_entry = forms.ModelChoiceField(
        label=_("Entity on the UFLPA Entity List"),
        queryset=Detention._meta.get_field("uflpa_list_entry").related_model.objects.none(),
        required=False,
        help_text=_("The entry relied on; its row and the list version are recorded with it."),
    )
    xuar_input = forms.CharField(
        label=_("Input from the XUAR"),
        max_length=400,
        required=False,
        help_text=_("E.g. “cotton yarn”."),
    )
    xuar_evidence = forms.CharField(
        label=_("Evidence of the XUAR origin"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Internal to CBP; never shown to the importer."),
    )
    officer = forms.ModelChoiceField(label=_("Officer responsible"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _officers()
        self.fields["uflpa_list_entry"].queryset = uflpa_entries()


def uflpa_entries():
    """The entries of the current version of the UFLPA Entity List, in the list's order (its
    earlier versions stay for the detentions that relied on them, but a new detention relies on
    the list in force)."""
    entries = Detention._meta.get_field("uflpa_list_entry").related_model.objects
    return entries.filter(
        entity_list__source=UFLPA_SOURCE,
        list_version_id=F("entity_list__current_version_id"),
    ).order_by("row_number")


class ProofForm(forms.Form):
    certificate_of_origin = forms.FileField(
        label=_("Certificate of origin signed by the foreign seller"), required=False
    )
    detailed_statement = forms.FileField(label=_("Detailed statement"), required=False)
    supply_chain = forms.FileField(label=_("Supply-chain tracing documents"), required=False)
    audit_report = forms.FileField(label=_("Audit report"), required=False)
    statement = forms.CharField(
        label=_("Covering note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExportNoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("Export notice"))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[
            (k, v)
            for k, v in DetentionDocument.Kind.choices
            if k != DetentionDocument.Kind.EXPORT_NOTICE
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What the importer should send"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The importer sees this request."),
    )


class RecommendForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Detention.Recommendation.choices
    )
    reason = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Internal to CBP; never shown to the importer."),
    )


class DisposeForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The decision's reason; the importer sees it."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("The port's file (CSV or XLSX)"))


class ImporterAccountForm(forms.Form):
    username = forms.CharField(label=_("Importer user name"), max_length=150)
    entity = forms.ModelChoiceField(label=_("Company"), queryset=Entity.objects.order_by("name"))


class StatisticsFilterForm(forms.Form):
    year = WholeNumberField(
        label=_("Year of the notice"), required=False, min_value=1900, max_value=2100
    )


# UFLPA: the importer's two paths, answers to requests for information, the exception ----------

# The files a UFLPA request takes, one field per kind of document CBP's guidance names
# (``uflpa_guidance``); the field's name is the document's kind.
TRACING_KINDS = (
    DetentionDocument.Kind.SUPPLY_CHAIN,
    DetentionDocument.Kind.TRANSACTION_RECORDS,
    DetentionDocument.Kind.TRANSPORT_RECORDS,
    DetentionDocument.Kind.PRODUCTION_RECORDS,
    DetentionDocument.Kind.RAW_MATERIAL_ORIGIN,
)
EXCEPTION_KINDS = (
    *TRACING_KINDS,
    DetentionDocument.Kind.DUE_DILIGENCE_SYSTEM,
    DetentionDocument.Kind.MANAGEMENT_MEASURES,
)


def _file_fields(form: forms.Form, kinds) -> None:
    for kind in kinds:
        form.fields[kind] = forms.FileField(
            label=DetentionDocument.Kind(kind).label, required=False
        )


class ApplicabilityReviewForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Sector of the goods"),
        choices=BLANK + list(UflpaRequest.Sector.choices),
        help_text=_("It sets the documents CBP's UFLPA guidance expects; see the checklist."),
    )
    statement = forms.CharField(
        label=_("How your tracing shows the goods outside the presumption"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "From the raw material to the finished good: no input from the XUAR and no entity "
            "on the UFLPA Entity List."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _file_fields(self, TRACING_KINDS)


class ExceptionRequestForm(forms.Form):
    sector = ApplicabilityReviewForm.base_fields["sector"]
    statement = forms.CharField(
        label=_("Why the exception is due"), widget=forms.Textarea(attrs={"rows": 3})
    )
    guidance_compliance = forms.CharField(
        label=_("How you fully complied with CBP's UFLPA guidance (section 3(b)(1))"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_summary = forms.CharField(
        label=_(
            "Clear and convincing evidence that the goods were not made wholly or in part by "
            "forced labor (section 3(b)(3))"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Every CBP request for information must also be answered in full (section 3(b)(2)): "
            "answer each from the detention page."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _file_fields(self, EXCEPTION_KINDS)


class InformationAnswerForm(forms.Form):
    message = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of the attached file"),
        choices=[(k, DetentionDocument.Kind(k).label) for k in DetentionDocument.UFLPA_KINDS],
        required=False,
    )
    file = forms.FileField(label=_("File"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("kind"):
            self.add_error("kind", _("Say what kind of document the file is."))
        return data


class ExceptionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant the exception")), ("deny", _("Deny the exception"))],
        widget=forms.RadioSelect,
    )
    complied_with_guidance = forms.BooleanField(
        label=_("The importer fully complied with CBP's UFLPA guidance (section 3(b)(1))."),
        required=False,
    )
    answered_every_request = forms.BooleanField(
        label=_(
            "The importer completely and substantively answered every CBP request for "
            "information (section 3(b)(2))."
        ),
        required=False,
    )
    clear_and_convincing = forms.BooleanField(
        label=_(
            "Clear and convincing evidence shows the goods were not made wholly or in part by "
            "forced labor (section 3(b)(3))."
        ),
        required=False,
    )
    finding = forms.CharField(
        label=_("Finding that the three conditions are met (published in the report)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    evidence_considered = forms.CharField(
        label=_("Evidence considered (published in the report)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    importer_note = forms.CharField(
        label=_("What the importer is told"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when denying."),
    )
    internal_note = forms.CharField(
        label=_("Internal note (denial)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Never shown to the importer nor published."),
    )


class CongressReportSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Day the report went to Congress"), widget=DateInput())
