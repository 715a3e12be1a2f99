"""Forms check shape and types; the rules live in ``services.py``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from withhold.cases.models import Priority
from withhold.core.forms import OwnIdsForm
from withhold.reference.countries import country_choices
from withhold.reference.models import Commodity, IloIndicator

from . import elements
from .models import SubmitterType
from .selectors import QUEUE_SORTS, QUEUE_STATES

BLANK = [("", "—")]
HONEYPOT_FIELD = "website"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AllegationForm(forms.Form):
    """The public report form: the three elements of 19 CFR 12.42(b), who is reporting, and
    files. Guidance for each element is its help text."""

    reasons = forms.CharField(
        label=_("Why do you believe these goods are made with forced labor?"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Tell us what you saw, heard or read: who the workers are, what is done to them, "
            "where and when, and how you know. Specific facts (dates, places, numbers of workers, "
            "what workers said) make a report useful; opinions alone do not."
        ),
    )
    merchandise_description = forms.CharField(
        label=_("Describe the goods"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the goods are, what they are made of, brand names, models or labels, and how "
            "they are packed. A photo of the goods or their label helps."
        ),
    )
    hts_code = forms.CharField(
        label=_("Tariff (HTS) code, if you know it"),
        required=False,
        max_length=16,
        help_text=_("The Harmonized Tariff Schedule number, e.g. 6109.10. Leave empty if unsure."),
    )
    manufacturer_name = forms.CharField(
        label=_("Producer or manufacturer"),
        required=False,
        max_length=255,
        help_text=_("The name of the factory, farm, mine or vessel where the goods are made."),
    )
    manufacturer_address = forms.CharField(
        label=_("Its address"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    country = forms.ChoiceField(label=_("Country of production"), required=False, choices=[])
    region = forms.CharField(label=_("Region, province or town"), required=False, max_length=200)
    supply_chain_companies = forms.CharField(
        label=_("Other companies in the supply chain"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Suppliers, processors, traders or exporters that handle the goods."),
    )
    us_importers = forms.CharField(
        label=_("Known U.S. importers"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Companies that bring the goods into the United States, if you know any."),
    )
    production_period = forms.CharField(
        label=_("When were the goods made or shipped?"),
        required=False,
        max_length=200,
        help_text=_("A date, month or season, as exactly as you can."),
    )
    ilo_indicators = forms.ModelMultipleChoiceField(
        label=_("Signs of forced labor you observed"),
        queryset=IloIndicator.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    submitter_type = forms.ChoiceField(
        label=_("Who are you?"), choices=SubmitterType.choices, widget=forms.RadioSelect
    )
    contact_choice = forms.ChoiceField(
        label=_("May we contact you?"),
        choices=[
            ("contact", _("Yes: I give my contact details below")),
            ("anonymous", _("No: I report anonymously")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Anonymous reports are accepted. Contact details let the division ask you questions; "
            "you can also answer questions anonymously with your receipt number and code."
        ),
    )
    contact_name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("E-mail address"), required=False)
    contact_phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    attachments = MultipleFileField(
        label=_("Supporting files"),
        required=False,
        help_text=_(
            "PDF, images, Office documents, CSV or text. Files are checked by their content."
        ),
    )
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200
    )  # honeypot: hidden from people, filled by bots
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + country_choices()

    def clean_website(self) -> str:
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise ValidationError(_("This report could not be accepted."))
        return ""

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        anonymous = data.pop("contact_choice") == "anonymous"
        indicators = [i.pk for i in data.pop("ilo_indicators")]
        files = data.pop("attachments")
        for name in (HONEYPOT_FIELD, "confirmed"):
            data.pop(name, None)
        return {**data, "anonymous": anonymous, "ilo_indicators": indicators, "files": files}

    def report_facts(self) -> elements.ReportFacts:
        data = self.cleaned_data
        return elements.ReportFacts(
            reasons=data.get("reasons", ""),
            merchandise_description=data.get("merchandise_description", ""),
            hts_code=data.get("hts_code", ""),
            manufacturer_name=data.get("manufacturer_name", ""),
            manufacturer_address=data.get("manufacturer_address", ""),
            country=data.get("country", ""),
            region=data.get("region", ""),
            supply_chain_companies=data.get("supply_chain_companies", ""),
            us_importers=data.get("us_importers", ""),
            production_period=data.get("production_period", ""),
            ilo_indicator_count=len(data.get("ilo_indicators") or []),
            attachment_count=len(data.get("attachments") or []),
        )


class StatusLookupForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("Receipt number"), max_length=30, help_text=_("For example FLA-2026-000123.")
    )
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=40,
        help_text=_("The secret code shown once when you sent your report."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(label=_("Files with your answer"), required=False)


class AddFilesForm(forms.Form):
    attachments = MultipleFileField(label=_("Add files to your report"))


# --- Staff ------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Show"), required=False, choices=list(QUEUE_STATES.items()))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[])
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[(k, k) for k in QUEUE_SORTS] + [(f"-{k}", k) for k in QUEUE_SORTS],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + country_choices()


class CaseOpenForm(forms.Form):
    title = forms.CharField(label=_("Case title"), max_length=200)
    commodity = forms.ModelChoiceField(
        label=_("Commodity"),
        queryset=Commodity.objects.all(),
        help_text=_("From the controlled list; the suggestion comes from the report's words."),
    )
    source_country = forms.ChoiceField(label=_("Source country"), choices=[])
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    manufacturer = forms.ChoiceField(
        label=_("Manufacturer"),
        required=False,
        widget=forms.RadioSelect,
        choices=[],
        help_text=_("Link an entity already on file, or create one from the report."),
    )

    def __init__(self, *args, entity_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_country"].choices = BLANK + country_choices()
        self.fields["manufacturer"].choices = [("new", _("Create from the report"))] + [
            (str(pk), label) for pk, label in entity_choices
        ]


class AttachForm(forms.Form):
    case_number = forms.CharField(
        label=_("Case number"), max_length=20, help_text=_("For example FL-2026-0042.")
    )
    note = forms.CharField(
        label=_("Note for the case timeline"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InformationRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the submitter"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The submitter reads this on the receipt page. Say what is missing (19 CFR 12.42(c))."
        ),
    )


class ReturnForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons, written for the submitter"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The notice names each missing element and what to add; say here why the report "
            "cannot go further as it is. The submitter reads this."
        ),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LitigationHoldForm(OwnIdsForm):
    id_prefix = "hold"

    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevealRequestForm(OwnIdsForm):
    id_prefix = "reveal"

    reason = forms.CharField(
        label=_("Why you need to know who the submitter is"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A supervisor reads this and grants or refuses; it is kept in the audit log."),
    )
