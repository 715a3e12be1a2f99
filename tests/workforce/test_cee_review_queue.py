"""The CEE review queue in the staffing model: detention proof reviews and the importers' UFLPA
requests arrive at a Center of Excellence and Expertise, one more M/M/c queue on its own line of
the answer, its specialists not counted among the analysts; scenarios saved before it still read
as they were."""

import datetime as dt

import pytest
import time_machine

from withhold.workforce import selectors, services, staffing
from withhold.workforce.models import StaffingScenario
from withhold.workforce.staffing import PhaseInput, ReviewQueueInput, days

from ..pdftext import pdf_text_lines
from . import test_detention_work
from .test_pages import HOST, scenario_post

pytestmark = pytest.mark.django_db
# The detention work of test_detention_work.py, with its UFLPA requests.
detention_work = test_detention_work.detention_work
uflpa_requests = test_detention_work.uflpa_requests


def answer(review_queue):
    return staffing.scenario(
        cases_per_year=24,
        analysts_on_board=2,
        productive_hours_per_month=160,
        max_utilisation=1.0,
        phases=[PhaseInput("initiation", hours_per_case=160, target_days=days(1.5))],
        review_queue=review_queue,
    )


def test_the_review_queue_is_its_own_line_not_counted_among_the_analysts():
    # 24 reviews a year = 2 a month at μ = 1 (160 h of 160): three specialists, P(wait) = 4/9.
    got = answer(ReviewQueueInput(reviews_per_year=24, hours_per_review=160, target_days=days(1.5)))
    assert got.cee_review.phase == "cee_review"
    assert got.cee_review.analysts_needed == 3
    assert got.cee_review.wait_probability == pytest.approx(4 / 9)
    assert (got.analysts_needed, got.gap) == (3, 1)  # the initiation phase's alone
    assert got.workload_hours_per_month == pytest.approx(320)
    assert answer(None).cee_review is None


def test_no_reviews_need_no_specialists_and_a_target_too_short_names_the_queue():
    none = answer(ReviewQueueInput(reviews_per_year=0, hours_per_review=8, target_days=15))
    assert (none.cee_review.analysts_needed, none.cee_review.note) == (0, "No reviews expected.")
    with pytest.raises(staffing.StaffingInputError, match=r"^CEE review: The target of 1 days"):
        answer(ReviewQueueInput(reviews_per_year=24, hours_per_review=160, target_days=1))


def test_defaults_take_the_reviews_and_uflpa_requests_of_the_history(uflpa_requests):
    history = selectors.assessment(today=dt.date(2026, 6, 15), months=12)
    # Proof reviews: 1 under Section 307 and 3 UFLPA; UFLPA requests: 3 reviews, 3 exceptions.
    assert history.defaults["cee_reviews_per_year"] == 10.0
    assert history.defaults["cee_hours_per_review"] == 8.0
    assert history.defaults["cee_target_days"] == 15.0


@pytest.fixture
def as_supervisor(client, supervisor):
    client.force_login(supervisor)
    return client


CEE = {"cee_reviews_per_year": "24", "cee_hours_per_review": "160", "cee_target_days": "45.66"}


def test_page_computes_and_saves_the_review_queue(as_supervisor):
    html = as_supervisor.post(
        "/workforce/scenario/compute/", scenario_post(**CEE), **HOST
    ).content.decode()
    assert 'id="cee-review-table"' in html and '<strong id="cee-specialists">3</strong>' in html
    without = as_supervisor.post("/workforce/scenario/compute/", scenario_post(), **HOST)
    assert 'id="cee-review-table"' not in without.content.decode()
    as_supervisor.post("/workforce/", scenario_post(**CEE, name="With CEE", action="save"), **HOST)
    saved = StaffingScenario.objects.get(name="With CEE")
    assert (saved.cee_reviews_per_year, saved.analysts_needed) == (24, 3)
    assert saved.result["cee_review"]["analysts_needed"] == 3
    detail = as_supervisor.get(f"/workforce/scenarios/{saved.pk}/", **HOST).content.decode()
    assert "24.0 at 160.0 hours each, target 45.7 days" in detail
    assert '<strong id="cee-specialists">3</strong>' in detail


def test_a_scenario_saved_before_the_queue_reads_as_it_was(as_supervisor, supervisor):
    old = services.scenario_save(
        actor=supervisor,
        name="Saved last year",
        inputs=services.ScenarioInputs(
            allegations_per_year=48,
            case_share=0.5,
            analysts_on_board=2,
            productive_hours_per_month=160,
            max_utilisation=1.0,
            phases=[PhaseInput("initiation", hours_per_case=160, target_days=days(1.5))],
        ),
    )
    # What such a row holds: no CEE inputs, and an answer without the line.
    old.result.pop("cee_review")
    old.save(update_fields=["result"])
    new = services.scenario_save(
        actor=supervisor,
        name="With CEE",
        inputs=services.ScenarioInputs(
            allegations_per_year=48,
            case_share=0.5,
            analysts_on_board=2,
            productive_hours_per_month=160,
            max_utilisation=1.0,
            phases=[PhaseInput("initiation", hours_per_case=160, target_days=days(1.5))],
            review_queue=services.review_queue_input(reviews_per_year=12),
        ),
    )
    assert (new.cee_hours_per_review, new.cee_target_days) == (8, 15)  # the settings' defaults
    detail = as_supervisor.get(f"/workforce/scenarios/{old.pk}/", **HOST).content.decode()
    assert "Not modelled in this scenario" in detail and 'id="cee-review-table"' not in detail
    compare = as_supervisor.get(
        f"/workforce/scenarios/compare/?ids={old.pk}&ids={new.pk}", **HOST
    ).content.decode()
    row = compare[compare.index('id="compare-cee"') :].split("</tr>")[0]
    assert "not modelled" in row and "<td>1 " in row
    pdf = as_supervisor.get(f"/workforce/report/?scenario={old.pk}&format=pdf", **HOST)
    assert pdf.content.startswith(b"%PDF")


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_api_runs_the_queue_and_the_pdf_reports_it(as_supervisor):
    body = {
        "allegations_per_year": 48,
        "case_share": 0.5,
        "analysts_on_board": 2,
        "productive_hours_per_month": 160,
        "max_utilisation": 1,
        "phases": [
            {"phase": "initiation", "share": 1, "hours_per_case": 160, "target_days": 45.66}
        ],
        "cee_review": {"reviews_per_year": 24, "hours_per_review": 160, "target_days": 45.66},
    }
    got = as_supervisor.post(
        "/api/workforce/scenarios/compute/", body, content_type="application/json", **HOST
    ).json()
    assert (got["analysts_needed"], got["cee_review"]["analysts_needed"]) == (3, 3)
    body.pop("cee_review")
    got = as_supervisor.post(
        "/api/workforce/scenarios/compute/", body, content_type="application/json", **HOST
    ).json()
    assert got["cee_review"] is None
    as_supervisor.post("/workforce/", scenario_post(**CEE, name="With CEE", action="save"), **HOST)
    saved = StaffingScenario.objects.get(name="With CEE")
    pdf = as_supervisor.get(f"/workforce/report/?scenario={saved.pk}&format=pdf", **HOST)
    text = " ".join(pdf_text_lines(pdf.content))
    assert "CEE review queue (proof reviews and UFLPA requests): 3 import specialists" in text
