"""Supply-chain entities: one record per company, facility or vessel, shared by every case that
involves it (never a name typed into a case as free text)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from withhold.core.models import TimeStampedModel
from withhold.reference.countries import is_country

IMO_PATTERN = re.compile(r"^[0-9]{7}$")


def imo_check_digit_ok(imo: str) -> bool:
    """IMO numbers carry a check digit: the first six digits weighted 7..2, sum mod 10."""
    if not IMO_PATTERN.match(imo):
        return False
    total = sum(int(d) * w for d, w in zip(imo[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(imo[6])


class Entity(TimeStampedModel):
    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        FACILITY = "facility", "Facility"
        VESSEL = "vessel", "Vessel"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(max_length=255, help_text="The name as the entity itself uses it.")
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names, spellings and transliterations."
    )
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code of the country it is in."
    )
    address = models.TextField(blank=True)
    registration_number = models.CharField(max_length=80, blank=True)
    imo_number = models.CharField(
        max_length=7, blank=True, help_text="IMO ship identification number (vessels)."
    )
    notes = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Made-up record from the demo data set.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        indexes = [models.Index(fields=["country", "name"])]
        permissions = []

    def __str__(self) -> str:
        return f"{self.name} ({self.country})" if self.country else self.name

    def clean(self):
        errors = {}
        if not (self.name or "").strip():
            errors["name"] = "Enter the entity's name."
        if self.country and not is_country(self.country):
            errors["country"] = f"“{self.country}” is not an ISO 3166 country code."
        if self.imo_number:
            if self.kind != self.Kind.VESSEL:
                errors["imo_number"] = "Only vessels have an IMO number."
            elif not imo_check_digit_ok(self.imo_number):
                errors["imo_number"] = "An IMO number is 7 digits with a valid check digit."
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            errors["aliases"] = "Aliases must be a list of names."
        if errors:
            raise ValidationError(errors)
