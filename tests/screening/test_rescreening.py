"""Re-screening: every screened line is kept (for the retention period); an order issued or
changed, or entries added to or changed on a list, re-screen the kept lines against only that
change, and the new hits are listed with the change that caused them."""

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from withhold.audit.models import AuditAction, AuditEntry
from withhold.orders.models import OrderModification, ScopeRule
from withhold.screening import services
from withhold.screening.models import ScreenedLine, ScreeningRun

from ..factories import EntityFactory
from .conftest import csv_file, make_order

pytestmark = pytest.mark.django_db

LINES = (
    "L1,AB1-1234567-8,2026-01-05,,HETIAN TAIDA APPAREL CO LTD,Hetian,,CN,6109,shirts,",
    "L2,,2026-01-05,,Zenith Bolts Ltd,,,US,7318,bolts,",
    "L3,,2026-01-05,,Unlisted Maker,,,VN,6109,shirts,",
    "L4,,not-a-date,,Another Maker,,,VN,6109,shirts,",
)


@pytest.fixture
def stored_run(client, targeting_analyst, django_capture_on_commit_callbacks):
    client.force_login(targeting_analyst)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("screening:runs"),
            {"file": SimpleUploadedFile("e.csv", csv_file(*LINES), content_type="text/csv")},
        )
    return ScreeningRun.objects.get()


def rescreens():
    return ScreeningRun.objects.exclude(trigger="").order_by("id")


def test_every_screened_line_is_kept_with_its_data(stored_run):
    assert list(stored_run.lines.values_list("row_number", "line_id", "manufacturer_name")) == [
        (2, "L1", "HETIAN TAIDA APPAREL CO LTD"),
        (3, "L2", "Zenith Bolts Ltd"),
        (4, "L3", "Unlisted Maker"),
    ]  # the refused row (bad date) is not kept: it was not screened


def test_issuing_an_order_rescreens_the_kept_lines_and_lists_exactly_the_new_hits(
    stored_run, client, django_capture_on_commit_callbacks
):
    assert not stored_run.hits.exists()
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order("WRO-2026-0009", status="approved", merchandise="Garments")
        taida = EntityFactory(name="Hetian Taida Apparel Co., Ltd.", country="CN")
        ScopeRule.objects.create(order=order, kind=ScopeRule.Kind.ENTITY, entity=taida)
    assert not rescreens().exists()  # not issued yet: nothing to screen against
    with django_capture_on_commit_callbacks(execute=True):
        order.status = "issued"
        order.save()
    rescreen = rescreens().get()
    assert rescreen.trigger == "Withhold Release Order WRO-2026-0009 issued"
    assert rescreen.summary["lines"] == 3
    assert list(rescreen.hits.values_list("line_id", "hit_kind", "hit_ref")) == [
        ("L1", "order", "WRO-2026-0009")
    ]
    assert rescreen.hits.get().screened_line.run == stored_run
    text = client.get(reverse("screening:run", args=[rescreen.pk])).content.decode()
    assert "Re-screening of the kept entry lines caused by" in text and "WRO-2026-0009" in text
    listed = client.get(reverse("screening:runs"), {"origin": "rescreen"}).content.decode()
    assert "re-screening" in listed and "WRO-2026-0009 issued" in listed

    # Saving the order again with nothing screening sees changed re-screens nothing.
    with django_capture_on_commit_callbacks(execute=True):
        order.next_review_on = dt.date(2027, 1, 5)
        order.save()
    assert rescreens().count() == 1

    # A modification is a change: the hit comes back under the order's new version.
    with django_capture_on_commit_callbacks(execute=True):
        OrderModification.objects.create(
            order=order, kind="modification", effective_on=dt.date(2026, 2, 1),
            description="Clarified the merchandise.",
        )  # fmt: skip
        order.status = "modified"
        order.save()
    modified = rescreens().last()
    assert modified.trigger == "Withhold Release Order WRO-2026-0009 modified"
    assert [(h.line_id, h.basis_version) for h in modified.hits.all()] == [("L1", "order change 1")]


def test_a_list_load_rescreens_only_the_added_or_changed_entries(
    stored_run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.entity_list_load(
            actor=None, source="ngo", file_name="a.csv",
            data=b"name,country\nHetian Taida Apparel Co Ltd,CN\n",
        )  # fmt: skip
    first = rescreens().get()
    assert [(h.line_id, h.hit_ref) for h in first.hits.all()] == [("L1", "ngo #1")]
    with django_capture_on_commit_callbacks(execute=True):
        services.entity_list_load(
            actor=None, source="ngo", file_name="b.csv",
            data=b"name,country\nHetian Taida Apparel Co Ltd,CN\nZenith Bolts Ltd,US\n",
        )  # fmt: skip
    second = rescreens().last()
    assert second.trigger == "List “ngo” version 2 loaded: 1 entry added or changed"
    # Only the new entry was screened: L1's unchanged entry is not hit again.
    assert [(h.line_id, h.hit_ref) for h in second.hits.all()] == [("L2", "ngo #2")]


def test_lines_older_than_the_retention_period_are_purged(stored_run, settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "SCREENING_RETENTION_DAYS": 30}
    old = stored_run.lines.get(line_id="L1")
    ScreenedLine.objects.filter(pk=old.pk).update(
        screened_at=timezone.now() - dt.timedelta(days=31)
    )
    out = StringIO()
    call_command("purge_screened_lines", stdout=out)
    assert "1 stored lines older than 30 days deleted." in out.getvalue()
    assert list(stored_run.lines.values_list("line_id", flat=True)) == ["L2", "L3"]
    entry = AuditEntry.objects.get(action=AuditAction.SCREENED_LINES_PURGED)
    assert entry.data["lines"] == 1 and entry.data["retention_days"] == 30


def test_a_purged_line_is_not_rescreened(stored_run, settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "SCREENING_RETENTION_DAYS": 30}
    stored_run.lines.update(screened_at=timezone.now() - dt.timedelta(days=31))
    order = make_order("WRO-2026-0010")
    taida = EntityFactory(name="Hetian Taida Apparel Co., Ltd.", country="CN")
    ScopeRule.objects.create(order=order, kind=ScopeRule.Kind.ENTITY, entity=taida)
    assert services.order_rescreen(order_id=order.pk) is None
