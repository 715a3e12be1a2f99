"""The allegation report generated at 23:30 in New York is dated and timed there."""

import pytest

from withhold.evidence import services

from ..workforce.test_agency_day import pdf_text

pytestmark = pytest.mark.django_db


def test_allegation_report_is_dated_and_timed_in_new_york(ny_late_evening, case, case_analyst):
    document = services.allegation_report_generate(case=case, actor=case_analyst)
    assert document.title == f"Allegation report {case.number} (2026-12-07)"
    text = pdf_text(document.file.read())
    assert "Generated 2026-12-07 23:30 EST by" in text
    assert "UTC" not in text
