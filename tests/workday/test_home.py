"""The home page shows each role what is due, soonest first, and never a record the role may not
see (``accounts.visibility``)."""

import datetime as dt

import pytest
from django.utils import timezone

from withhold.intake.models import Allegation
from withhold.workday import selectors

from ..factories import CaseFactory, TaskFactory
from ..intake.conftest import report_fields

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def _submit(days_ago: int, **overrides) -> Allegation:
    from withhold.intake import services

    allegation = services.allegation_submit(**report_fields(**overrides)).allegation
    Allegation.objects.filter(pk=allegation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    allegation.refresh_from_db()
    return allegation


def test_intake_sees_allegations_by_their_12_42c_clock_soonest_first(
    client, intake_analyst, settings
):
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_TRIAGE_DAYS": 10}
    recent = _submit(1)
    late = _submit(12, manufacturer_name="Other Mill")
    today = timezone.localdate()
    section = selectors.allegations_to_triage(user=intake_analyst, today=today)
    assert [r.label for r in section.rows] == [late.receipt_number, recent.receipt_number]
    received = timezone.localdate(recent.created_at)
    assert section.rows[1].due_on == received + dt.timedelta(days=10)
    assert section.rows[1].days_left == (received + dt.timedelta(days=10) - today).days
    assert section.rows[0].overdue
    client.force_login(intake_analyst)
    page = client.get("/", **HOST).content.decode()
    assert f'href="/intake/{late.receipt_number}/"' in page
    assert "Overdue by" in page and "days left" in page


def test_a_section_with_nothing_due_says_what_will_appear(client, intake_analyst):
    client.force_login(intake_analyst)
    page = client.get("/", **HOST).content.decode()
    assert "Reports from the public that wait for triage appear here" in page


def test_tasks_on_a_case_the_reader_may_not_see_are_neither_listed_nor_counted(
    client, intake_analyst
):
    hidden = CaseFactory(title="Sealed matter", law_enforcement_sensitive=True)
    TaskFactory(case=hidden, owner=intake_analyst, title="Sealed step")
    TaskFactory(case=CaseFactory(), owner=intake_analyst, title="Ordinary step")
    section = selectors.my_tasks(user=intake_analyst, today=timezone.localdate())
    assert [r.label for r in section.rows] == ["Ordinary step"] and section.count == 1
    client.force_login(intake_analyst)
    page = client.get("/", **HOST).content.decode()
    assert "Sealed" not in page and hidden.number not in page


def test_the_supervisor_sees_team_load_and_overdue_tasks(client, supervisor, case_analyst):
    case = CaseFactory(assigned_analyst=case_analyst, status="active")
    TaskFactory(case=case, owner=case_analyst, due_on=timezone.localdate() - dt.timedelta(days=2))
    today = timezone.localdate()
    load = selectors.team_load(user=supervisor, today=today)
    row = next(r for r in load.table if r["who"] == str(case_analyst))
    assert (row["cases"], row["tasks"], row["overdue"]) == (1, 1, 1)
    overdue = selectors.overdue_items(user=supervisor, today=today)
    assert overdue.rows[0].days_left == -2


def test_a_judged_hit_leaves_the_targeters_new_hits(
    client, targeting_analyst, django_capture_on_commit_callbacks
):
    """A targeting analyst's home lists the new hits nobody has judged; judging one (true match
    or false positive) takes it off the list, and the count follows."""
    from django.urls import reverse

    from ..screening.test_judgements import LIST_V1, load, screen

    capture = django_capture_on_commit_callbacks
    load(LIST_V1, capture)
    run = screen(
        client, targeting_analyst, capture, "A1,AB1-0000001-0,,,ACME WIDGETS L.L.C.,,,US,,,"
    )
    hit = run.hits.get()
    today = timezone.localdate()
    section = selectors.new_screening_hits(user=targeting_analyst, today=today)
    assert [row.label for row in section.rows] == [hit.entry_number or hit.line_id]
    assert section.total == 1
    # The row leads to the hit on its run's page, filtered to its entry so it is on the first page.
    url, anchor = section.rows[0].url.split("#")
    page = client.get(url)
    assert page.status_code == 200
    assert f'id="{anchor}"' in page.content.decode() and anchor == f"hit-{hit.pk}"
    client.post(
        reverse("screening:hit_judge", args=[hit.pk]),
        {"verdict": "true_match", "note": "Same company: the address and the list agree."},
    )
    section = selectors.new_screening_hits(user=targeting_analyst, today=today)
    assert section.rows == [] and section.total == 0
