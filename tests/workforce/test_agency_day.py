"""The workforce downloads give New York times and days for what happened at 23:30 there."""

import csv
import io

import pytest

from withhold.workforce.models import StaffingScenario

from ..pdftext import pdf_streams
from .test_pages import HOST, scenario_post

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text drawn by a PDF's (deflated) content streams, good enough to find a line in."""
    return "".join(content.decode("latin-1") for content, _ in pdf_streams(data))


@pytest.fixture
def as_supervisor(client, supervisor):
    client.force_login(supervisor)
    return client


def test_report_pdf_is_generated_in_new_york_time(ny_late_evening, as_supervisor):
    response = as_supervisor.get("/workforce/report/?format=pdf", **HOST)
    assert "workforce-assessment-2026-12-07.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Generated 2026-12-07 23:30 EST by supervisor" in text
    assert "UTC" not in text


def test_scenario_csv_gives_the_new_york_day_it_was_saved(ny_late_evening, as_supervisor):
    as_supervisor.post("/workforce/", scenario_post(action="save", name="Late save"), **HOST)
    assert StaffingScenario.objects.count() == 1
    body = b"".join(
        as_supervisor.get("/workforce/scenarios/?format=csv", **HOST).streaming_content
    ).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["saved_on"] == "2026-12-07"
