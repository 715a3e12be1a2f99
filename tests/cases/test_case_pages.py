"""The case list, detail and forms as a user meets them."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from withhold.accounts.roles import Role
from withhold.cases import services
from withhold.cases.models import Case

from ..factories import CaseEntityFactory, CaseFactory, CommodityFactory, EntityFactory, UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def analyst_client(client, case_analyst):
    client.force_login(case_analyst)
    return client


def numbers_on(response) -> list[str]:
    html = response.content.decode()
    return [c.number for c in Case.objects.all() if f">{c.number}</a>" in html]


def test_list_filters_by_phase_country_and_search(analyst_client):
    gloves = CommodityFactory(name="Rubber gloves", hs_code="4015")
    a = CaseFactory(
        number="FL-2026-0001",
        title="Gloves from Example Sdn Bhd",
        source_country="MY",
        commodity=gloves,
    )
    b = CaseFactory(number="FL-2026-0002", title="Cotton from Example Mill", source_country="CN")
    c = CaseFactory(
        number="FL-2026-0003",
        title="Seafood from vessel",
        source_country="TW",
        phase="investigation",
    )
    CaseEntityFactory(case=b, entity=EntityFactory(name="Hetian Example Apparel"))
    assert set(numbers_on(analyst_client.get("/cases/", {"country": "MY"}, **HOST))) == {a.number}
    assert set(numbers_on(analyst_client.get("/cases/", {"phase": "investigation"}, **HOST))) == {
        c.number
    }
    assert set(numbers_on(analyst_client.get("/cases/", {"q": "hetian apparel"}, **HOST))) == {
        b.number
    }
    assert set(numbers_on(analyst_client.get("/cases/", {"commodity": gloves.pk}, **HOST))) == {
        a.number
    }
    empty = analyst_client.get("/cases/", {"q": "nothing matches this"}, **HOST)
    assert "No cases match these filters." in empty.content.decode()


def test_list_date_range_and_bad_range_message(analyst_client):
    today = timezone.localdate()
    old = CaseFactory(
        received_on=today - dt.timedelta(days=400), opened_on=today - dt.timedelta(days=390)
    )
    new = CaseFactory(
        received_on=today - dt.timedelta(days=5), opened_on=today - dt.timedelta(days=4)
    )
    recent = analyst_client.get(
        "/cases/", {"received_from": (today - dt.timedelta(days=30)).isoformat()}, **HOST
    )
    assert numbers_on(recent) == [new.number]
    bad = analyst_client.get(
        "/cases/",
        {
            "received_from": today.isoformat(),
            "received_to": (today - dt.timedelta(days=9)).isoformat(),
        },
        **HOST,
    )
    assert "The end date is before the start date." in bad.content.decode()
    assert old.number in bad.content.decode()  # an invalid filter shows everything, with the error


def test_list_sorts_and_paginates(analyst_client):
    for i in range(30):
        CaseFactory(number=f"FL-2025-{i:04d}", title=f"Case {i:02d}")
    first = analyst_client.get("/cases/", {"sort": "number"}, **HOST).content.decode()
    assert first.index("FL-2025-0000") < first.index("FL-2025-0001")
    assert "FL-2025-0029" not in first
    second = analyst_client.get("/cases/", {"sort": "number", "page": 2}, **HOST).content.decode()
    assert "FL-2025-0029" in second and "FL-2025-0000" not in second
    desc = analyst_client.get("/cases/", {"sort": "-number"}, **HOST).content.decode()
    assert desc.index("FL-2025-0029") < desc.index("FL-2025-0028")


def test_list_query_count_does_not_grow_with_rows(analyst_client):
    CaseFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        analyst_client.get("/cases/", **HOST)
    CaseFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        analyst_client.get("/cases/", **HOST)
    assert len(many) == len(few)


def test_detail_query_count_does_not_grow_with_entities(analyst_client):
    case = CaseFactory()
    CaseEntityFactory(case=case)
    with CaptureQueriesContext(connection) as one:
        analyst_client.get(f"/cases/{case.number}/", **HOST)
    CaseEntityFactory.create_batch(5, case=case)
    with CaptureQueriesContext(connection) as six:
        analyst_client.get(f"/cases/{case.number}/", **HOST)
    assert len(six) == len(one)


def test_csv_export_has_the_filtered_rows_and_escapes_formulas(analyst_client):
    CaseFactory(number="FL-2026-0001", title='=HYPERLINK("http://x")', source_country="MY")
    CaseFactory(number="FL-2026-0002", source_country="CN")
    response = analyst_client.get("/cases/", {"format": "csv", "country": "MY"}, **HOST)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["number", "title", "phase", "status"]
    assert [r[0] for r in rows[1:]] == ["FL-2026-0001"]
    assert rows[1][1].startswith("'=")


def test_sensitive_cases_are_left_out_of_exports_for_roles_without_clearance(client, db):
    CaseFactory(number="FL-2026-0001", law_enforcement_sensitive=True)
    CaseFactory(number="FL-2026-0002")
    client.force_login(UserFactory(username="intake1", role=Role.INTAKE_ANALYST))
    body = b"".join(client.get("/cases/", {"format": "csv"}, **HOST).streaming_content).decode()
    assert "FL-2026-0002" in body and "FL-2026-0001" not in body


def test_create_form_shows_inline_errors_and_keeps_nothing(analyst_client, commodity):
    response = analyst_client.post(
        "/cases/new/",
        {
            "title": "",
            "allegation_summary": "x",
            "commodity": commodity.pk,
            "source_country": "CN",
            "referral_source": "ngo",
            "received_on": "2999-01-01",
            "priority": "medium",
        },
        **HOST,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "This field is required." in html
    assert not Case.objects.exists()


def test_create_form_opens_a_case_and_redirects_to_it(analyst_client, commodity):
    response = analyst_client.post(
        "/cases/new/",
        {
            "title": "Bricks from Example Kiln",
            "allegation_summary": "Families are bonded by debt to the kiln.",
            "commodity": commodity.pk,
            "source_country": "PK",
            "source_region": "PK-PB",
            "referral_source": "ngo",
            "received_on": timezone.localdate().isoformat(),
            "priority": "high",
            "evidence_sources": ["ngo_report", "media"],
            "ilo_indicators": [9],
        },
        **HOST,
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert case.source_region == "PK-PB"
    # Evidence-source boxes ticked by hand (a form from before, a crafted post) change nothing:
    # the sources come from evidence items only.
    assert not case.evidence_sources.exists()
    page = analyst_client.get(response["Location"], **HOST).content.decode()
    assert "Bricks from Example Kiln" in page and "Punjab" in page


def test_the_edit_form_has_no_evidence_source_boxes_and_ignores_ticked_ones(
    analyst_client, case_analyst, commodity
):
    case = services.case_create(
        actor=case_analyst,
        title="Bricks from Example Kiln",
        allegation_summary="Families are bonded by debt to the kiln.",
        commodity=commodity,
        source_country="PK",
        referral_source="ngo",
        received_on=timezone.localdate(),
    )
    page = analyst_client.get(f"/cases/{case.number}/edit/", **HOST).content.decode()
    assert 'name="evidence_sources"' not in page
    assert "Evidence sources come from the case's evidence items" in page
    form = {
        "title": case.title,
        "allegation_summary": case.allegation_summary,
        "commodity": commodity.pk,
        "source_country": "PK",
        "referral_source": "ngo",
        "received_on": case.received_on.isoformat(),
        "opened_on": case.opened_on.isoformat(),
        "priority": "medium",
        "evidence_sources": ["ngo_report"],
        "version": case.version,
    }
    response = analyst_client.post(f"/cases/{case.number}/edit/", form, **HOST)
    assert response.status_code == 302
    assert not case.evidence_sources.exists()


def test_region_options_follow_the_country(analyst_client):
    html = analyst_client.get("/cases/regions/", {"source_country": "CN"}, **HOST).content.decode()
    assert 'value="CN-XJ"' in html and "Xinjiang" in html


def test_my_work_shows_overdue_tasks_first(client, case_analyst):
    from ..factories import TaskFactory

    today = timezone.localdate()
    TaskFactory(owner=case_analyst, title="Late task", due_on=today - dt.timedelta(days=2))
    TaskFactory(owner=case_analyst, title="Next week", due_on=today + dt.timedelta(days=7))
    TaskFactory(title="Someone else's")
    client.force_login(case_analyst)
    html = client.get("/cases/my-work/", **HOST).content.decode()
    assert html.index("Late task") < html.index("Next week")
    assert "Overdue" in html
    assert "Someone else" not in html


def test_data_dictionary_document_is_up_to_date():
    from pathlib import Path

    from withhold.cases.dictionary import data_dictionary_markdown

    path = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"
    assert path.read_text(encoding="utf-8") == data_dictionary_markdown(), "run `make docs`"


def test_data_dictionary_defines_every_case_field():
    from withhold.cases.dictionary import data_dictionary_markdown

    text = data_dictionary_markdown()
    for field in [*Case._meta.concrete_fields, *Case._meta.many_to_many]:
        if field.name in {"id", "created_at", "updated_at", "created_by", "is_demo"}:
            continue
        assert f"| `{field.name}` |" in text, field.name
    assert "| `suspension_reason` |" in text and "exactly when status is Suspended" in text


def test_case_page_offers_a_short_entity_list_and_a_search(analyst_client):
    from withhold.cases.forms import ENTITY_CHOICES_LIMIT

    case = CaseFactory(source_country="MY")
    for i in range(ENTITY_CHOICES_LIMIT + 10):
        EntityFactory(name=f"Malaysian Glove Maker {i:03d}", country="MY")
    EntityFactory(name="Hetian Example Apparel", country="CN")
    page = analyst_client.get(f"/cases/{case.number}/", **HOST).content.decode()
    assert page.count(">Malaysian Glove Maker") == ENTITY_CHOICES_LIMIT
    assert "Hetian Example Apparel" not in page
    options = analyst_client.get(
        f"/cases/{case.number}/entities/options/", {"entity_q": "hetian apparel"}, **HOST
    ).content.decode()
    assert "Hetian Example Apparel" in options and "Malaysian" not in options
    searched = analyst_client.get(f"/cases/{case.number}/", {"entity_q": "hetian"}, **HOST)
    assert "Hetian Example Apparel" in searched.content.decode()


def test_linking_an_entity_found_by_search_works_beyond_the_short_list(analyst_client):
    case = CaseFactory(source_country="MY")
    far = EntityFactory(name="Far Away Trader", country="CN")
    response = analyst_client.post(
        f"/cases/{case.number}/entities/", {"entity": far.pk, "role": "trader"}, **HOST
    )
    assert response.status_code == 302
    assert case.case_entities.get().entity == far


def test_csv_export_streams_every_row_in_batches(analyst_client):
    CaseFactory.create_batch(7)
    from withhold.cases.selectors import case_csv_lines

    chunks = list(case_csv_lines(Case.objects.order_by("id"), batch=3))
    rows = list(csv.reader(io.StringIO("".join(chunks))))
    assert len(rows) == 8  # header + 7 cases
    assert len(chunks) == 3  # header + rows 1-3, rows 4-6, row 7


def test_creating_an_entity_on_the_case_page_first_points_to_a_likely_duplicate(analyst_client):
    case = CaseFactory(source_country="CN")
    existing = EntityFactory(name="Hetian Taida Apparel Co., Ltd.", country="CN")
    data = {
        "role": "manufacturer",
        "new_name": "HETIAN TAIDA APPAREL CO LTD",
        "new_country": "CN",
        "new_kind": "company",
    }
    page = analyst_client.post(
        f"/cases/{case.number}/entities/", data, follow=True, **HOST
    ).content.decode()
    assert "Likely already on file: Hetian Taida Apparel Co., Ltd." in page
    assert not case.case_entities.exists()
    analyst_client.post(f"/cases/{case.number}/entities/", {**data, "confirm_new": "on"}, **HOST)
    link = case.case_entities.get()
    assert link.entity != existing and link.entity.name == "HETIAN TAIDA APPAREL CO LTD"


def test_case_page_ids_are_unique_so_each_label_names_its_input(client, supervisor):
    """The task and document forms both have a title; each keeps its own ids."""
    import re
    from collections import Counter

    case = CaseFactory(supervisor=supervisor)
    client.force_login(supervisor)
    html = client.get(f"/cases/{case.number}/", **HOST).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert 'for="id_task_title"' in html and 'for="id_document_title"' in html


def test_my_work_counts_active_cases_by_phase_label_in_phase_order(client, supervisor):
    for phase in ["legal_review", "initiation", "investigation"]:
        CaseFactory(supervisor=supervisor, phase=phase)
    client.force_login(supervisor)
    html = client.get("/cases/my-work/", **HOST).content.decode()
    counts = html[html.index("withhold-phase-counts") :]
    assert "Legal_review" not in counts and ">legal_review" not in counts
    places = [
        counts.index(f"{label}: <strong>1<")
        for label in ("1 · Initiation", "2 · Investigation", "3 · Legal review")
    ]
    assert places == sorted(places)


@pytest.mark.parametrize(
    ("role", "menu"),
    [
        (Role.CASE_ANALYST, True),
        (Role.HSI_LIAISON, True),
        (Role.IMPORTER, False),
        (Role.PUBLIC, False),
    ],
)
def test_menu_offers_cases_and_entities_only_to_roles_that_may_open_them(client, role, menu):
    client.force_login(UserFactory(role=role))
    html = client.get("/cases/my-work/", **HOST).content.decode()
    for path in ("/cases/", "/entities/"):
        assert (f'href="{path}"' in html) is menu
        assert (client.get(path, **HOST).status_code == 200) is menu


@pytest.mark.parametrize(
    ("status", "to_status", "heading"),
    [
        ("active", "suspended", "Suspend {n}"),
        ("active", "inactive", "Make {n} inactive"),
        ("active", "closed", "Close {n}"),
        ("suspended", "active", "Reactivate {n}"),
    ],
)
def test_status_dialog_heading_reads_as_a_sentence(client, supervisor, status, to_status, heading):
    extra = {"suspension_reason": "lack_of_personnel"} if status == "suspended" else {}
    case = CaseFactory(supervisor=supervisor, status=status, **extra)
    client.force_login(supervisor)
    response = client.get(f"/cases/{case.number}/transition/", {"to_status": to_status}, **HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="transition-title">{heading.format(n=case.number)}</h2>' in html


def test_status_history_names_the_reason_in_words(supervisor, new_case, client):
    """The case page's transition table shows "Lack of information", not its code."""
    from withhold.cases import services as case_services

    case_services.case_status_change(
        case=new_case, to_status="suspended", reason_code="lack_of_information", actor=supervisor
    )
    client.force_login(supervisor)
    html = client.get(f"/cases/{new_case.number}/", HTTP_HOST="127.0.0.1").content.decode()
    assert "Lack of information" in html
    assert "lack_of_information" not in html.replace('value="lack_of_information"', "")
