from django import forms
from django.utils.translation import gettext_lazy as _

from withhold.reference.countries import country_choices

from .models import Entity


class EntityForm(forms.Form):
    kind = forms.ChoiceField(choices=Entity.Kind.choices, initial=Entity.Kind.COMPANY)
    name = forms.CharField(max_length=255, help_text=Entity._meta.get_field("name").help_text)
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One alias per line: other names, spellings and transliterations."),
    )
    country = forms.ChoiceField(choices=[], required=False)
    address = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    registration_number = forms.CharField(required=False, max_length=80)
    imo_number = forms.CharField(
        label=_("IMO number"), required=False, max_length=7, help_text=_("Vessels only: 7 digits.")
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm_new = forms.BooleanField(
        label=_("None of the entities suggested is this one: create it anyway"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]


def entity_form_initial(entity: Entity) -> dict:
    # ``confirm_new`` is a question of the create form, not a field of the entity.
    initial = {
        name: getattr(entity, name) for name in EntityForm.base_fields if name != "confirm_new"
    }
    initial["aliases"] = "\n".join(entity.aliases)
    return initial


class EntitySearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    country = forms.ChoiceField(choices=[], required=False)
    kind = forms.ChoiceField(choices=[("", _("Any kind")), *Entity.Kind.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]
