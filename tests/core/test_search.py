"""Search of cases, entities and allegations (``withhold.core.search``): the same answers on
SQLite and PostgreSQL for the substring rule, full-text matching and index use on PostgreSQL."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from withhold.cases import selectors as case_selectors
from withhold.entities.selectors import entity_list

from ..factories import CaseEntityFactory, CaseFactory, EntityFactory

pytestmark = pytest.mark.django_db


def _numbers(qs):
    return [c.number for c in qs]


def _search(user, q, sort=case_selectors.DEFAULT_CASE_SORT):
    return case_selectors.case_list(user=user, filters=case_selectors.CaseFilters(q=q), sort=sort)


def test_every_word_must_appear_somewhere(supervisor):
    CaseFactory(number="FL-2026-0001", title="Cotton yarn from Golden Mill")
    CaseFactory(number="FL-2026-0002", title="Tomatoes", allegation_summary="Golden fields.")
    linked = CaseFactory(number="FL-2026-0003", title="Gloves")
    CaseEntityFactory(case=linked, entity=EntityFactory(name="Golden Rubber Co."))
    CaseFactory(number="FL-2026-0004", title="Seafood")

    assert set(_numbers(_search(supervisor, "golden"))) == {
        "FL-2026-0001",
        "FL-2026-0002",
        "FL-2026-0003",
    }
    assert _numbers(_search(supervisor, "GOLDEN rubber")) == ["FL-2026-0003"]
    assert _numbers(_search(supervisor, "fl-2026-0004")) == ["FL-2026-0004"]
    assert _numbers(_search(supervisor, "golden seafood")) == []


def test_a_case_linked_twice_to_matching_entities_is_listed_once(supervisor):
    case = CaseFactory(number="FL-2026-0010", title="Gloves")
    CaseEntityFactory(case=case, entity=EntityFactory(name="Golden Rubber Co."))
    CaseEntityFactory(case=case, entity=EntityFactory(name="Golden Latex Ltd."), role="exporter")
    assert _numbers(_search(supervisor, "golden")) == ["FL-2026-0010"]


def test_exact_case_number_is_ranked_first_on_the_list_page(client, supervisor):
    today = timezone.localdate()
    CaseFactory(
        number="FL-2026-0100",
        title="Cotton",
        received_on=today - dt.timedelta(days=400),
        opened_on=today - dt.timedelta(days=300),
    )
    CaseFactory(
        number="FL-2026-0200",
        title="Follow-up to FL-2026-0100",
        opened_on=today - dt.timedelta(days=1),
    )
    client.force_login(supervisor)
    page = client.get(reverse("cases:list"), {"q": "fl-2026-0100"})
    assert page.status_code == 200
    rows = [c.number for c in page.context["page_obj"].object_list]
    assert rows == ["FL-2026-0100", "FL-2026-0200"]
    # A chosen order is kept: newest opened first.
    page = client.get(reverse("cases:list"), {"q": "fl-2026-0100", "sort": "-opened_on"})
    assert [c.number for c in page.context["page_obj"].object_list] == [
        "FL-2026-0200",
        "FL-2026-0100",
    ]


def test_search_does_not_reveal_hidden_cases(make_user):
    from withhold.accounts.roles import Role

    hsi = make_user(Role.HSI_LIAISON, username="hsi-search")
    CaseFactory(number="FL-2026-0300", title="Golden gloves")  # not referred to HSI
    assert _numbers(_search(hsi, "golden")) == []


def test_entity_search_matches_every_word(db):
    EntityFactory(name="Golden Rubber Co.")
    EntityFactory(name="Golden Fields Farm")
    EntityFactory(name="Silver Rubber")
    assert [e.name for e in entity_list(text="rubber golden")] == ["Golden Rubber Co."]
    assert [e.name for e in entity_list(text="GOLDEN")] == [
        "Golden Fields Farm",
        "Golden Rubber Co.",
    ]


# --- PostgreSQL: full text and indexes -----------------------------------------------------------


@pytest.mark.postgres
def test_full_text_matches_other_forms_of_a_word(supervisor):
    CaseFactory(
        number="FL-2026-0400",
        title="Factory holds passports",
        allegation_summary="Recruiters charge fees.",
    )
    # Neither "holding" nor "recruiter charged" is a substring; their stems match.
    assert _numbers(_search(supervisor, "holding passport")) == ["FL-2026-0400"]
    assert _numbers(_search(supervisor, "recruiter charged")) == ["FL-2026-0400"]


@pytest.mark.postgres
def test_relevance_puts_the_better_full_text_match_first(supervisor):
    today = timezone.localdate()
    CaseFactory(
        number="FL-2026-0500",
        title="Passports held",
        allegation_summary="Passports held; passports kept; passport fees.",
        received_on=today - dt.timedelta(days=300),
        opened_on=today - dt.timedelta(days=200),
    )
    CaseFactory(
        number="FL-2026-0501",
        title="Wages",
        allegation_summary="One passport mentioned.",
        opened_on=today - dt.timedelta(days=1),
    )
    ranked = _search(supervisor, "passport", sort=case_selectors.RELEVANCE_SORT)
    assert _numbers(ranked) == ["FL-2026-0500", "FL-2026-0501"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("table", "index"),
    [
        ("cases_case", "case_title_trgm_idx"),
        ("cases_case", "case_summary_trgm_idx"),
        ("cases_case", "case_number_trgm_idx"),
        ("cases_case", "case_document_fts_idx"),
        ("entities_entity", "entity_name_trgm_idx"),
        ("entities_entity", "entity_name_fts_idx"),
        ("intake_allegation", "allegation_maker_trgm_idx"),
        ("intake_allegation", "allegation_document_fts_idx"),
    ],
)
def test_search_indexes_exist(table, index):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, index]
        )
        assert cursor.fetchone() == (1,)


@pytest.mark.postgres
def test_planner_uses_the_trigram_and_full_text_indexes(db):
    EntityFactory(name="Golden Rubber Co.")
    with connection.cursor() as cursor:
        # A table of one row: without these the planner may read it whole, or walk its primary
        # key, whatever indexes exist. With them it must use an index that matches the words.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = entity_list(text="golden").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The words are matched through an index of the entity's name or its normalised search key
    # (which one the planner prefers depends on the table's statistics), never a full scan.
    assert "Seq Scan on entities_entity" not in plan, plan
    assert re.search(r"Bitmap Index Scan on entity_(search_key|name)_(trgm|fts)_idx", plan), plan


@pytest.mark.postgres
def test_cases_named_after_an_entity_are_read_off_the_entity_case_index(supervisor):
    """The cases linked to matching entities: the entities' ids gathered once, then looked up
    in ``caseentity_entity_case_idx`` (``entity_id = ANY(...)``). Written as a join, the planner
    hashed them against every case-entity link (a sequential scan of the whole table)."""
    linked = CaseFactory(title="Gloves")
    CaseEntityFactory(case=linked, entity=EntityFactory(name="Golden Rubber Sdn. Bhd."))
    CaseFactory(title="Seafood")
    found = _search(supervisor, "golden")
    assert _numbers(found) == [linked.number]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tables of a few rows
        sql, params = found.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on cases_caseentity" not in plan, plan
    # Either index that leads with the entity (the (entity, case) index or the foreign key's
    # own): the planner picks by its statistics.
    assert re.search(
        r"(Index Only Scan using|Index Scan using|Bitmap Index Scan on) "
        r"(caseentity_entity_case_idx|cases_caseentity_entity_id_\w+)",
        plan,
    ), plan
    assert re.search(r"Index Cond: \(entity_id = ANY \(\$\d+\)\)", plan), plan


def test_api_search_with_relevance_puts_the_exact_number_first(supervisor):
    from rest_framework.test import APIClient

    today = timezone.localdate()
    CaseFactory(
        number="FL-2026-0600",
        title="Cotton",
        received_on=today - dt.timedelta(days=400),
        opened_on=today - dt.timedelta(days=300),
    )
    CaseFactory(number="FL-2026-0601", title="Follow-up to FL-2026-0600")
    api = APIClient()
    api.force_authenticate(supervisor)
    found = api.get("/api/cases/", {"q": "FL-2026-0600", "sort": "relevance"}).json()
    assert [c["number"] for c in found["results"]] == ["FL-2026-0600", "FL-2026-0601"]
    bad = api.get("/api/cases/", {"sort": "nonsense"})
    assert bad.status_code == 400
