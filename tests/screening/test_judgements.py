"""Judgements of hits: a targeting analyst's true match or false positive, keyed by the party's
normalised name, the listed entry and its version; suppressed on later runs, re-opened by a new
list version or a changed order, audited, exported, in the API, and on one row per entry line."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from withhold.audit.models import AuditAction, AuditEntry
from withhold.detentions import services as detention_services
from withhold.orders.models import OrderModification
from withhold.screening import selectors, services
from withhold.screening.models import HitJudgement, ScreeningHit, ScreeningRun

from ..factories import EntityFactory
from .conftest import csv_file

pytestmark = pytest.mark.django_db

LIST_V1 = b"name,aliases,country\nAcme Widgets LLC,Acme Widget Co,US\n"
LIST_V2 = LIST_V1 + b"Zenith Bolts Ltd,,US\n"


def screen(client, user, capture, *rows: str) -> ScreeningRun:
    client.force_login(user)
    before = set(ScreeningRun.objects.values_list("pk", flat=True))
    with capture(execute=True):
        response = client.post(
            reverse("screening:runs"),
            {"file": SimpleUploadedFile("e.csv", csv_file(*rows), content_type="text/csv")},
        )
    assert response.status_code == 302
    return ScreeningRun.objects.exclude(pk__in=before).get(trigger="")


def load(data: bytes, capture):
    with capture(execute=True):
        return services.entity_list_load(actor=None, source="custom", file_name="c.csv", data=data)


def page(client, run, **params) -> str:
    return client.get(reverse("screening:run", args=[run.pk]), params).content.decode()


def test_a_false_positive_is_suppressed_next_run_and_reopened_by_a_new_list_version(
    client, targeting_analyst, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    load(LIST_V1, capture)
    first = screen(client, targeting_analyst, capture, "A1,,,,ACME WIDGETS L.L.C.,,,US,,,")
    hit = first.hits.get()
    assert hit.hit_ref == "custom #1"
    response = client.post(
        reverse("screening:hit_judge", args=[hit.pk]),
        {"verdict": "false_positive", "note": "Different company in Ohio; checked the address."},
    )
    assert response.status_code == 302
    judgement = HitJudgement.objects.get()
    assert (judgement.party_name, judgement.basis_version) == ("ACME WIDGETS L.L.C.", "list v1")

    # The same name, written another way, in a later run: judged, hidden, countable, reviewable.
    second = screen(client, targeting_analyst, capture, "B7,,,,Acme Widgets LLC,,,US,,,")
    shown = page(client, second)
    assert "0 entry lines with hits" in shown
    assert "1 hit judged a false positive is hidden." in shown
    review = page(client, second, judgement="false_positive")
    assert "judged false positive" in review and "Acme Widgets LLC" in review
    assert "1 entry line with hits" in review

    # A new version of the list re-opens the hit.
    load(LIST_V2, capture)
    third = screen(client, targeting_analyst, capture, "C3,,,,Acme Widgets LLC,,,US,,,")
    reopened = page(client, third)
    assert "1 entry line with hits" in reopened and "not judged" in reopened
    assert "judged a false positive is hidden" not in reopened
    assert third.hits.get().basis_version == "list v2"


def test_a_change_to_the_order_reopens_its_judgement(
    client, targeting_analyst, taida_order, django_capture_on_commit_callbacks
):
    run = screen(
        client, targeting_analyst, django_capture_on_commit_callbacks,
        "L1,,,,HETIAN TAIDA APPAREL CO LTD,Hetian,,CN,6109,shirts,",
    )  # fmt: skip
    hit = run.hits.get()
    services.hit_judge(actor=targeting_analyst, hit=hit, verdict="true_match", note="Same maker.")
    assert selectors.hit_list(run=run, filters=selectors.HitFilters()).get().verdict == (
        "true_match"
    )
    OrderModification.objects.create(
        order=taida_order, kind="modification", effective_on=dt.date(2026, 1, 5),
        description="Importer excluded.", actor=targeting_analyst,
    )  # fmt: skip
    again = screen(
        client, targeting_analyst, django_capture_on_commit_callbacks,
        "L9,,,,\"Hetian Taida Apparel Co., Ltd.\",Hetian,,CN,6109,shirts,",
    )  # fmt: skip
    assert again.hits.get().basis_version == "order change 1"
    unjudged = selectors.HitFilters(judgement="unjudged")
    assert selectors.hit_list(run=again, filters=unjudged).count() == 1


def test_judging_is_audited_and_a_second_judgement_replaces_the_first(
    targeting_analyst, taida_order, client, django_capture_on_commit_callbacks
):
    run = screen(
        client, targeting_analyst, django_capture_on_commit_callbacks,
        "L1,,,,HETIAN TAIDA APPAREL CO LTD,,,CN,,,",
    )  # fmt: skip
    hit = run.hits.get()
    services.hit_judge(actor=targeting_analyst, hit=hit, verdict="true_match", note="Checked.")
    services.hit_judge(actor=targeting_analyst, hit=hit, verdict="false_positive", note="No.")
    assert HitJudgement.objects.get().verdict == "false_positive"
    verdicts = AuditEntry.objects.filter(
        action=AuditAction.SCREENING_HIT_JUDGED, field="verdict"
    ).order_by("id")
    assert [(e.old_value, e.new_value) for e in verdicts] == [
        ("", "true_match"),
        ("true_match", "false_positive"),
    ]
    assert verdicts[0].actor == targeting_analyst


def test_a_judgement_needs_a_verdict_and_a_note(targeting_analyst, client, taida_order,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    run = screen(
        client, targeting_analyst, django_capture_on_commit_callbacks,
        "L1,,,,HETIAN TAIDA APPAREL CO LTD,,,CN,,,",
    )  # fmt: skip
    hit = run.hits.get()
    response = client.post(reverse("screening:hit_judge", args=[hit.pk]), {"verdict": "maybe"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "maybe is not one of the available choices" in text and "This field is required" in text
    with pytest.raises(Exception, match="Say what you checked"):
        services.hit_judge(actor=targeting_analyst, hit=hit, verdict="true_match", note=" ")
    assert not HitJudgement.objects.exists()


def test_the_judgements_page_filters_and_downloads(
    client, targeting_analyst, taida_order, django_capture_on_commit_callbacks
):
    run = screen(
        client, targeting_analyst, django_capture_on_commit_callbacks,
        "L1,,,,HETIAN TAIDA APPAREL CO LTD,,,CN,,,",
        "L2,,,,Anyone,Pyongyang,,CN,,,",
    )  # fmt: skip
    order_hit = run.hits.get(hit_kind="order")
    caatsa_hit = run.hits.get(hit_kind="caatsa")
    services.hit_judge(actor=targeting_analyst, hit=order_hit, verdict="true_match", note="Same.")
    services.hit_judge(
        actor=targeting_analyst, hit=caatsa_hit, verdict="false_positive", note="Street name."
    )
    url = reverse("screening:judgements")
    text = client.get(url, {"verdict": "false_positive"}).content.decode()
    assert "1 judgement" in text and "Street name." in text and "Same." not in text
    csv_text = b"".join(
        client.get(url, {"verdict": "true_match", "format": "csv"}).streaming_content
    ).decode()
    lines = csv_text.splitlines()
    assert lines[0].startswith("party,party_key,hit_kind,hit_ref")
    assert len(lines) == 2 and "WRO-2026-0001" in lines[1] and "true_match" in lines[1]


def test_one_row_per_entry_line_with_all_its_bases_and_its_detention(
    client, targeting_analyst, port_officer, taida_order, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    load(b"name,country\nHetian Taida Apparel Co Ltd,CN\n", capture)
    run = screen(
        client, targeting_analyst, capture,
        "L1,AB1-1234567-8,2026-01-05,,HETIAN TAIDA APPAREL CO LTD,Pyongyang,,CN,6109,shirts,",
        "L2,,,,Unlisted Maker,,,VN,,,",
    )  # fmt: skip
    assert sorted(run.hits.values_list("hit_kind", flat=True)) == ["caatsa", "list", "order"]
    detention = detention_services.detention_record(
        actor=port_officer, orders=[taida_order], entry_number="AB1-1234567-8", entry_line=1,
        port_of_entry="2704 Los Angeles, CA", imported_on=dt.date(2026, 1, 5),
        notice_on=dt.date(2026, 1, 8), importer=EntityFactory(name="Acme Imports"),
        manufacturer=None, country_of_origin="CN", merchandise="Shirts", hts_code="6109.10",
        quantity=Decimal("10"), quantity_unit="pcs", value_usd=Decimal("100"),
        officer=port_officer,
    )  # fmt: skip
    text = page(client, run)
    assert "1 entry line with hits" in text and "1 already detained" in text
    assert text.count('class="withhold-hit-line"') == 1
    assert text.count('class="withhold-basis') == 3
    assert reverse("detentions:detail", args=[detention.pk]) in text
    assert "custom #1" in text and "CAATSA 302A" in text and "WRO-2026-0001" in text
    download = client.get(reverse("screening:run", args=[run.pk]), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert len(rows) == 1  # the page's one line, with its three bases
    assert rows[0]["line_id"] == "L1" and rows[0]["hits"] == "3"
    assert set(rows[0]["hit_kinds"].split("; ")) == {"order", "list", "caatsa"}
    assert rows[0]["detentions"] == f"AB1-1234567-8 line 1 (detention {detention.pk})"


def test_the_api_records_and_lists_judgements(
    client, targeting_analyst, port_officer, taida_order, django_capture_on_commit_callbacks
):
    run = screen(
        client, targeting_analyst, django_capture_on_commit_callbacks,
        "L1,,,,HETIAN TAIDA APPAREL CO LTD,,,CN,,,",
    )  # fmt: skip
    hit = run.hits.get()
    url = reverse("api:screening-hit-judgement", args=[hit.pk])
    created = client.post(
        url, {"verdict": "true_match", "note": "Same maker."}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["party_key"] == hit.party_key and created.json()["hit"] == hit.pk
    client.force_login(port_officer)
    refused = client.post(
        url, {"verdict": "false_positive", "note": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    listed = client.get(reverse("api:screening-judgements"), {"verdict": "true_match"}).json()
    assert [j["hit_ref"] for j in listed["results"]] == ["WRO-2026-0001"]
    missing = client.get(reverse("api:screening-judgements"), {"verdict": "maybe"})
    assert missing.status_code == 400


def test_the_schema_documents_the_judgement_endpoints(client, targeting_analyst):
    client.force_login(targeting_analyst)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"screening_judgements_list", "screening_hit_judge"} <= ids


def test_a_shipper_hit_is_keyed_by_the_shipper(targeting_analyst, client, taida_order,
                                               django_capture_on_commit_callbacks):  # fmt: skip
    run = screen(
        client, targeting_analyst, django_capture_on_commit_callbacks,
        "L1,,,,Some Maker,,Hetian Taida Apparel Co Ltd,CN,,,",
    )  # fmt: skip
    hit = run.hits.get(hit_kind="order")
    assert hit.party_key == services.party_key("HETIAN TAIDA APPAREL CO., LTD.")
    assert isinstance(hit, ScreeningHit)
