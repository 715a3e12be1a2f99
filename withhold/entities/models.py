"""Supply-chain entities: one record per company, facility or vessel, shared by every case that
involves it (never a name typed into a case as free text)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from withhold.core.models import TimeStampedModel
from withhold.reference.countries import is_country

from .duplicates import normalise_name

IMO_PATTERN = re.compile(r"^[0-9]{7}$")


def entity_search_key(name: str, aliases) -> str:
    """What search compares an entity's names with: the name and each alias through the one
    company-name normaliser (``duplicates.normalise_name``: case, accents, punctuation, plurals
    and legal forms such as "Sdn. Bhd." or "Co., Ltd." left out), one per line, so that a
    normalised word never matches across two names."""
    keys = []
    for text in (name, *(aliases if isinstance(aliases, list) else [])):
        key = normalise_name(str(text))
        if key and key not in keys:
            keys.append(key)
    return "\n".join(keys)


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
    search_key = models.TextField(
        blank=True,
        default="",
        editable=False,
        help_text="The name and aliases normalised for search (kept by every save).",
    )
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

    def save(self, *args, **kwargs):
        # Every save keeps the search key in step with the names (services, factories, admin
        # and fixtures alike); a ``QuerySet.update`` of names would not, so none is made.
        self.search_key = entity_search_key(self.name, self.aliases)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "aliases"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

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


class MergedEntity(models.Model):
    """An entity merged away into another: its old id keeps answering (the page and the API
    redirect to the survivor) after the record itself is removed. Written only by
    ``services.entity_merged_away`` (called by the merge), with its audit row; when the survivor
    is itself merged later, every record pointing at it moves to the new survivor."""

    merged_id = models.PositiveBigIntegerField(
        unique=True, help_text="The id the merged-away entity had."
    )
    merged_name = models.CharField(max_length=255, help_text="Its name when it was merged.")
    survivor = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="merged_away",
        help_text="The entity it was merged into (or, after later merges, that one's survivor).",
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["merged_id"]
        verbose_name = "merged-away entity"

    def __str__(self) -> str:
        return f"{self.merged_name} (#{self.merged_id}) → #{self.survivor_id}"
