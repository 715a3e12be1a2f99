"""Migration 0004 splits each existing step's text: what the importer was always told moves to
``importer_note``; the rest (the CEE's reasons, the port file's name, CBP's documents) stays in
the internal ``reason``; steps and documents of the importer's users are marked as theirs."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from withhold.detentions.models import DetentionDocument, DetentionEvent

from .conftest import proof_files

pytestmark = pytest.mark.django_db
migration = importlib.import_module("withhold.detentions.migrations.0004_importer_visible_notes")


def test_existing_notes_are_split(record, wro, acme_user, port_officer):
    from withhold.detentions import services

    today = timezone.localdate()
    detention = record(
        [wro], imported_on=today - dt.timedelta(days=20), notice_on=today - dt.timedelta(days=18)
    )
    services.detention_proof_submit(
        detention=detention, actor=acme_user, documents=proof_files(), statement="Our note."
    )
    on = today
    old = [
        ("information_requested", port_officer, "Send payroll."),
        ("recommended", port_officer, "Exclude: forged."),
        ("document_added", port_officer, "Other: Lab analysis"),
        ("document_added", acme_user, "Audit report: Audit"),
    ]
    for kind, actor, reason in old:
        DetentionEvent.objects.create(
            detention=detention, kind=kind, actor=actor, on=on, reason=reason
        )
    # As the rows stood before the migration: one text, no marks.
    for event in DetentionEvent.objects.all():
        DetentionEvent.objects.filter(pk=event.pk).update(
            reason=event.reason or event.importer_note, importer_note="", by_importer=False
        )
    DetentionDocument.objects.update(by_importer=False)

    migration.split_notes(apps, None)

    def step(kind, actor=None):
        rows = DetentionEvent.objects.filter(kind=kind)
        return (rows.filter(actor=actor) if actor else rows).get()

    assert (step("proof_submitted").importer_note, step("proof_submitted").reason) == (
        "Our note.",
        "",
    )
    assert step("proof_submitted").by_importer
    assert step("information_requested").importer_note == "Send payroll."
    assert (step("recommended").importer_note, step("recommended").reason) == (
        "",
        "Exclude: forged.",
    )
    assert step("document_added", port_officer).reason == "Other: Lab analysis"
    assert step("document_added", port_officer).importer_note == ""
    assert step("document_added", acme_user).importer_note == "Audit report: Audit"
    assert all(DetentionDocument.objects.values_list("by_importer", flat=True))
