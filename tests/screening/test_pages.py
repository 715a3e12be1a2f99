"""The screening pages: upload → background run → hits → a detention prefilled in one step."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from withhold.audit.models import AuditAction, AuditEntry
from withhold.screening.models import ScreeningHit, ScreeningRun

from ..factories import EntityFactory
from .conftest import csv_file

pytestmark = pytest.mark.django_db

LINES = csv_file(
    "L1,AB1-1234567-8,2026-01-05,Acme Imports LLC,HETIAN TAIDA APPAREL CO LTD,Hetian,,CN,6109100010,cotton t-shirts,",
    "L2,,2026-01-05,Acme Imports LLC,Unlisted Maker,,,VN,6109,shirts,",
    "L3,,2026-01-05,Acme Imports LLC,Anyone,Pyongyang,,CN,6109,shirts,",
    "L4,,bad-date,Acme Imports LLC,Anyone,,,CN,6109,shirts,",
)


def upload(client, user, data=LINES, name="entries.csv", capture=None):
    client.force_login(user)
    with capture(execute=True):
        return client.post(
            reverse("screening:runs"),
            {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
        )


@pytest.fixture
def done_run(client, targeting_analyst, taida_order, django_capture_on_commit_callbacks):
    response = upload(client, targeting_analyst, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    return ScreeningRun.objects.get()


def test_an_uploaded_file_is_screened_in_the_background(done_run, client):
    assert done_run.status == "done"
    assert done_run.summary["lines"] == 3
    assert done_run.summary["errors"] == 1
    assert done_run.row_errors == [
        {"row": 5, "column": "entry_date", "message": "“bad-date” is not a date (YYYY-MM-DD)."}
    ]
    assert list(done_run.hits.values_list("line_id", "hit_kind", "hit_ref")) == [
        ("L1", "order", "WRO-2026-0001"),
        ("L3", "caatsa", "CAATSA 302A"),
    ]
    page = client.get(reverse("screening:run", args=[done_run.pk]))
    text = page.content.decode()
    assert "HETIAN TAIDA APPAREL CO LTD" in text
    assert "name 100; country CN agrees; address city agrees" in text
    assert "Row 5, column entry_date" in text
    assert "3 lines screened" in text
    assert "1 row with errors (not screened)" in text
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditAction.SCREENING_RUN_STARTED, AuditAction.SCREENING_RUN_FINISHED} <= actions


def test_hits_filter_and_download(done_run, client):
    url = reverse("screening:run", args=[done_run.pk])
    only_caatsa = client.get(url, {"kind": "caatsa"}).content.decode()
    assert "CAATSA 302A" in only_caatsa and "WRO-2026-0001" not in only_caatsa
    nothing = client.get(url, {"q": "no such company"}).content.decode()
    assert "No hits match these filters." in nothing
    csv_text = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    header, *rows = csv_text.splitlines()
    assert header.startswith("line_id,row,entry_number,entry_date,importer_name")
    assert [r.split(",")[0] for r in rows] == ["L1", "L3"]  # one row per entry line


def test_the_progress_box_polls_until_done(done_run, client, targeting_analyst):
    ScreeningRun.objects.filter(pk=done_run.pk).update(
        status="running", done_lines=1, total_lines=4
    )
    box = client.get(reverse("screening:progress", args=[done_run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in box and "1 of 4 lines screened" in box
    ScreeningRun.objects.filter(pk=done_run.pk).update(status="done")
    done = client.get(reverse("screening:progress", args=[done_run.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "every 2s" not in done.content.decode()


def test_an_unreadable_file_fails_the_run_with_the_reason(
    client, targeting_analyst, django_capture_on_commit_callbacks
):
    upload(client, targeting_analyst, data=b"name,country\nAcme,CN\n",
           capture=django_capture_on_commit_callbacks)  # fmt: skip
    run = ScreeningRun.objects.get()
    assert run.status == "failed"
    assert run.failure == "The header has no line_id column."


def test_a_file_of_the_wrong_type_is_refused(
    client, targeting_analyst, django_capture_on_commit_callbacks
):
    response = upload(client, targeting_analyst, data=b"%PDF-1.4 not a table", name="x.pdf",
                      capture=django_capture_on_commit_callbacks)  # fmt: skip
    assert response.status_code == 400
    assert "not a file type Withhold accepts" in response.content.decode()
    assert not ScreeningRun.objects.exists()


def test_a_port_officer_turns_a_hit_into_a_prefilled_detention(done_run, client, port_officer):
    importer = EntityFactory(name="Acme Imports LLC", country="US")
    taida = done_run.hits.get(line_id="L1")
    client.force_login(port_officer)
    run_page = client.get(reverse("screening:run", args=[done_run.pk])).content.decode()
    link = reverse("screening:hit_detention", args=[taida.pk])
    assert link in run_page
    page = client.get(link)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["entry_number"] == "AB1-1234567-8"
    assert str(form.initial["imported_on"]) == "2026-01-05"
    assert form.initial["importer"] == importer
    assert form.initial["manufacturer"].name == "Hetian Taida Apparel Co., Ltd."
    assert form.initial["country_of_origin"] == "CN"
    assert form.initial["hts_code"] == "6109100010"
    assert form.initial["merchandise"] == "cotton t-shirts"
    assert [o.number for o in form.initial["orders"]] == ["WRO-2026-0001"]
    assert form.initial["basis"] == "order"
    text = page.content.decode()
    assert f'action="{reverse("detentions:create")}"' in text
    assert 'value="AB1-1234567-8"' in text


def test_a_caatsa_hit_prefills_the_caatsa_basis(done_run, client, port_officer):
    hit = done_run.hits.get(hit_kind=ScreeningHit.Kind.CAATSA)
    client.force_login(port_officer)
    page = client.get(reverse("screening:hit_detention", args=[hit.pk]))
    assert page.context["form"].initial["basis"] == "caatsa"
    assert "not on file as an entity" in page.content.decode()


def test_targeting_analysts_see_no_detention_button(done_run, client, targeting_analyst):
    client.force_login(targeting_analyst)
    page = client.get(reverse("screening:run", args=[done_run.pk])).content.decode()
    assert "Record a detention" not in page
    hit = done_run.hits.first()
    assert client.get(reverse("screening:hit_detention", args=[hit.pk])).status_code == 403


def test_runs_list_has_csv_and_empty_state(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("screening:runs")).content.decode()
    assert "No screening runs yet." in page
    assert "Screen the file" not in page  # supervisors look, targeting analysts screen
    csv_text = b"".join(client.get(reverse("screening:runs"), {"format": "csv"}).streaming_content)
    assert csv_text.decode().startswith("run,file,trigger,status")


def test_entity_list_page_loads_a_list_or_names_every_bad_row(client, targeting_analyst):
    client.force_login(targeting_analyst)
    url = reverse("screening:lists")
    bad = client.post(
        url, {"source": "ngo", "file": SimpleUploadedFile("l.csv", b"name,country\nA,XX\n")}
    )
    assert bad.status_code == 400
    assert "row 2, column country" in bad.content.decode()
    good = client.post(
        url, {"source": "ngo", "file": SimpleUploadedFile("l.csv", b"name\nA Ltd\n")}
    )
    assert good.status_code == 302
    assert "ngo" in client.get(url).content.decode()


def test_the_run_page_queries_do_not_grow_with_the_hits(
    done_run, client, django_assert_max_num_queries
):
    page_url = reverse("screening:run", args=[done_run.pk])
    with django_assert_max_num_queries(12) as few:
        client.get(page_url)
    ScreeningHit.objects.bulk_create(
        ScreeningHit(run=done_run, position=10 + n, row_number=10 + n, line_id=f"X{n}",
                     hit_kind="caatsa", hit_ref="CAATSA 302A", hit_name="North Korea", score=100,
                     action="detain", reasons="country of origin KP (North Korea)")
        for n in range(30)
    )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page_url)


@pytest.mark.parametrize(
    ("summary", "said"),
    [
        (
            {"lines": 1, "lines_with_hits": 0, "errors": 2},
            ["1 line screened", "2 rows with errors"],
        ),
        (
            {"lines": 2, "lines_with_hits": 1, "errors": 0},
            ["2 lines screened", "0 rows with errors"],
        ),
        (
            {"lines": 0, "lines_with_hits": 0, "errors": 1},
            ["0 lines screened", "1 row with errors"],
        ),
    ],
)
def test_the_run_summary_agrees_with_its_numbers(done_run, client, summary, said):
    ScreeningRun.objects.filter(pk=done_run.pk).update(
        summary={**summary, "hits": {"order": 0, "list": 0, "caatsa": 0}, "hits_total": 0}
    )
    box = client.get(reverse("screening:run", args=[done_run.pk])).content.decode()
    summary_html = box[box.index('id="run-summary"') :]
    for phrase in said:
        assert phrase in summary_html


def test_the_progress_box_says_line_for_one_line(done_run, client):
    ScreeningRun.objects.filter(pk=done_run.pk).update(
        status="running", done_lines=0, total_lines=1
    )
    box = client.get(reverse("screening:progress", args=[done_run.pk])).content.decode()
    assert "0 of 1 line screened" in box


def test_the_lists_page_counts_one_entry_in_the_singular(client, targeting_analyst):
    client.force_login(targeting_analyst)
    url = reverse("screening:lists")
    response = client.post(
        url, {"source": "ngo", "file": SimpleUploadedFile("l.csv", b"name\nA Ltd\n")}, follow=True
    )
    assert "List “ngo” version 1: 1 entry loaded." in response.content.decode()
    bad = client.post(
        url, {"source": "ngo", "file": SimpleUploadedFile("l.csv", b"name,country\nA,XX\n")}
    )
    assert "1 problem found." in bad.content.decode()


def test_a_file_named_only_punctuation_is_screened_and_keeps_its_name(
    client, targeting_analyst, taida_order, django_capture_on_commit_callbacks
):
    response = upload(
        client, targeting_analyst, name=":", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    run = ScreeningRun.objects.get()
    assert run.original_name == ":"
    assert run.status == "done"
