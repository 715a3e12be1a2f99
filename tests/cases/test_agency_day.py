"""Pages of a case show the agency's day (America/New_York) of what happened at 23:30 there,
not the UTC day, which is already tomorrow."""

import csv
import io
import re

import pytest

from withhold.cases import selectors, services

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
STEP_DATE = re.compile(
    r'usa-step-indicator__segment-label">[^<]*<span class="text-base">\((\d{4}-\d{2}-\d{2})\)'
)


def test_phase_stepper_shows_the_new_york_day_of_a_late_evening_transition(
    ny_late_evening, client, case_analyst
):
    case = CaseFactory()
    client.force_login(case_analyst)
    html = client.get(f"/cases/{case.number}/", **HOST).content.decode()
    assert STEP_DATE.findall(html) == [ny_late_evening.isoformat()]
    assert selectors.case_phase_entered_on(case) == {"initiation": ny_late_evening}


def test_case_audit_csv_gives_new_york_times(ny_late_evening, client, supervisor):
    case = CaseFactory()
    services.case_update(case=case, actor=supervisor, title="Renamed at 23:30 in New York")
    client.force_login(supervisor)
    response = client.get(f"/cases/{case.number}/audit.csv", **HOST)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][0] == "2026-12-07T23:30:00-05:00"
