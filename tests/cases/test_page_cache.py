"""Case pages kept in the web process's memory (``cases.page_cache``): served again without
drawing them, and drawn afresh after any change to what they show, for that reader only."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from withhold.accounts.roles import Role
from withhold.cases import page_cache, services
from withhold.cases.models import CaseUpdate
from withhold.core.pages import CSRF_PLACEHOLDER
from withhold.entities import services as entity_services
from withhold.reference.models import EvidenceSourceKind

from ..factories import EntityFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture(autouse=True)
def kept(settings):
    settings.WITHHOLD = {
        **settings.WITHHOLD,
        "SHARED_CACHE_SECONDS": 300,
        "CASE_PAGE_MEMORY_ENTRIES": 50,
    }
    page_cache.MEMORY.clear()
    yield
    page_cache.MEMORY.clear()


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def page(client, case, **params) -> str:
    response = client.get(f"/cases/{case.number}/", params, **HOST)
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_read_again_is_served_from_memory_without_reading_the_case_rows(
    case_analyst, ready_for_investigation
):
    client = signed_in(case_analyst)
    first = page(client, ready_for_investigation)
    with CaptureQueriesContext(connection) as queries:
        again = page(client, ready_for_investigation)
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "cases_caseentity" not in tables and "audit_auditentry" not in tables
    assert len(queries.captured_queries) <= 4

    def without_tokens(html: str) -> str:  # each draw masks the CSRF token anew
        return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)

    assert without_tokens(again) == without_tokens(first)


def test_every_kind_of_change_shows_on_the_next_read(
    case_analyst, supervisor, ready_for_investigation, commodity
):
    case = ready_for_investigation
    client = signed_in(case_analyst)
    page(client, case)

    services.case_update_add(
        case=case,
        actor=case_analyst,
        occurred_on=timezone.localdate(),
        text="Met the union; members confirmed that recruiters keep identity cards.",
    )
    assert "Met the union; members confirmed" in page(client, case)

    services.task_create(
        case=case,
        actor=case_analyst,
        title="Ask CBP labs for isotope test",
        owner=case_analyst,
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    assert "Ask CBP labs for isotope test" in page(client, case)

    services.case_update(case=case, actor=supervisor, title="Cotton yarn, renamed")
    assert "Cotton yarn, renamed" in page(client, case)

    link = case.case_entities.get()
    entity_services.entity_update(entity=link.entity, actor=supervisor, name="Example Mill Renamed")
    assert "Example Mill Renamed" in page(client, case)

    commodity.name = "Combed cotton"
    commodity.save()
    assert "Combed cotton" in page(client, case)

    case_analyst.first_name, case_analyst.last_name = "Ada", "Renamed"
    case_analyst.save()
    assert "Ada Renamed" in page(client, case)

    services.case_phase_change(case=case, to_phase="investigation", actor=case_analyst)
    assert 'id="case-phase">2 · Investigation<' in page(client, case)


def test_a_reader_who_may_not_see_the_case_is_refused_whatever_is_kept(
    case_analyst, make_user, ready_for_investigation
):
    case = ready_for_investigation
    page(signed_in(case_analyst), case)  # kept for the analyst
    services.case_update(case=case, actor=case_analyst, law_enforcement_sensitive=True)
    page(signed_in(case_analyst), case)
    # A reader who may not see sensitive cases is refused, whatever is kept.
    outsider = make_user(Role.CASE_ANALYST, username="no-les")
    outsider.groups.clear()
    outsider.groups.add(Group.objects.get(name=Role.INTAKE_ANALYST.label))
    response = signed_in(outsider).get(f"/cases/{case.number}/", **HOST)
    assert response.status_code in (403, 404)


def test_two_readers_with_the_same_role_each_get_their_own_page(
    case_analyst, make_user, ready_for_investigation
):
    other = make_user(Role.CASE_ANALYST, username="second", first_name="Sam", last_name="Second")
    case = ready_for_investigation
    first = page(signed_in(case_analyst), case)
    assert re.search(rf'<option value="{case_analyst.pk}" selected>', first)
    # Nothing changed in between: the second reader is still drawn their own page (their name
    # preselected as the owner of a new task).
    second = page(signed_in(other), case)
    assert re.search(rf'<option value="{other.pk}" selected>', second)


def test_a_row_written_without_a_service_still_shows_on_the_next_read(
    case_analyst, ready_for_investigation
):
    case = ready_for_investigation
    client = signed_in(case_analyst)
    page(client, case)
    CaseUpdate.objects.create(
        case=case,
        author=case_analyst,
        occurred_on=timezone.localdate(),
        text="Imported from the old tracker: site visit notes on the dormitories.",
    )
    assert "site visit notes on the dormitories" in page(client, case)
    case.evidence_sources.add(EvidenceSourceKind.objects.get(code="media"))
    assert "Media report" in page(client, case)


def test_the_forms_on_a_kept_page_carry_the_readers_own_csrf_token(
    case_analyst, ready_for_investigation
):
    case = ready_for_investigation
    page(signed_in(case_analyst), case)
    client = signed_in(case_analyst)
    html = page(client, case)
    form = re.search(rf'action="/cases/{case.number}/updates/".*?</form>', html, re.S)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    assert CSRF_PLACEHOLDER not in html
    response = client.post(
        f"/cases/{case.number}/updates/",
        {
            "occurred_on": timezone.localdate().isoformat(),
            "text": "Posted from a kept page: the mill's gate log shows night shifts.",
            "csrfmiddlewaretoken": token,
        },
        **HOST,
    )
    assert response.status_code == 302
    assert "Posted from a kept page: the mill" in page(client, case)


def test_a_page_with_a_search_is_drawn_for_that_search(case_analyst, ready_for_investigation):
    case = ready_for_investigation
    EntityFactory(name="Zeta Looms", country="VN")
    client = signed_in(case_analyst)
    assert "Zeta Looms" not in page(client, case)
    assert "Zeta Looms" in page(client, case, entity_q="zeta")


def test_without_a_shared_cache_nothing_is_kept(settings, case_analyst, ready_for_investigation):
    settings.WITHHOLD = {**settings.WITHHOLD, "SHARED_CACHE_SECONDS": 0}
    page(signed_in(case_analyst), ready_for_investigation)
    assert not page_cache.MEMORY._bodies


def listing(client, **params) -> str:
    response = client.get("/cases/", params, **HOST)
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_list_read_again_is_served_from_memory(case_analyst, ready_for_investigation):
    client = signed_in(case_analyst)
    first = listing(client)
    with CaptureQueriesContext(connection) as queries:
        again = listing(client)
    assert "cases_case" not in " ".join(q["sql"] for q in queries.captured_queries)
    assert ready_for_investigation.number in again
    assert re.sub(r"[A-Za-z0-9]{64}", "", again) == re.sub(r"[A-Za-z0-9]{64}", "", first)


def test_the_case_list_shows_a_new_changed_or_relinked_case_on_the_next_read(
    case_analyst, supervisor, ready_for_investigation, commodity
):
    client = signed_in(case_analyst)
    assert "Cotton yarn from Example Spinning" in listing(client)
    services.case_update(case=ready_for_investigation, actor=supervisor, title="Retitled case")
    assert "Retitled case" in listing(client)
    other = services.case_create(
        actor=case_analyst,
        title="Tomato paste from Example Cannery",
        allegation_summary="Workers report debts to recruiters they cannot repay.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate(),
    )
    assert other.number in listing(client)
    assert other.number not in listing(client, q="Zeta Looms")
    services.case_entity_link(
        case=other, entity=EntityFactory(name="Zeta Looms"), role="supplier", actor=case_analyst
    )
    assert other.number in listing(client, q="Zeta Looms")


def test_the_case_list_is_drawn_for_each_reader_and_each_set_of_filters(
    case_analyst, make_user, ready_for_investigation
):
    services.case_update(
        case=ready_for_investigation, actor=case_analyst, law_enforcement_sensitive=True
    )
    targeter = make_user(Role.TARGETING_ANALYST, username="no-sensitive")
    assert ready_for_investigation.number in listing(signed_in(case_analyst))
    assert ready_for_investigation.number not in listing(signed_in(targeter))
    client = signed_in(case_analyst)
    assert ready_for_investigation.number not in listing(client, phase="investigation")
    assert ready_for_investigation.number in listing(client, phase="initiation")
