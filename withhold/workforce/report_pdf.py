"""The workforce needs assessment as a PDF (fpdf2, as ``withhold/evidence/report.py`` does).

Same content as the printable page (``templates/workforce/report.html``): the staffing answer,
demand by month, time in phase, caseloads, suspensions and skill gaps. The PDF core fonts cover
Latin-1 only; other characters are replaced, and the printable page keeps them all.
"""

from datetime import datetime

from django.utils import timezone

from withhold.core.pdf import ReportPdf

from .selectors import Assessment, GapRow


def _num(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def report_pdf(
    *,
    history: Assessment,
    answer: dict | None,
    answer_source: str,
    gaps: list[GapRow],
    overdue_training: int,
    generated_at: datetime,
    generated_by: str,
) -> bytes:
    pdf = ReportPdf("Workforce needs assessment")
    pdf.report_title("Workforce needs assessment")
    pdf.line_of(
        f"Generated {timezone.localtime(generated_at):%Y-%m-%d %H:%M %Z} by {generated_by}."
    )
    pdf.line_of("In answer to GAO-21-106 recommendation 1: assess the division's workforce needs.")

    pdf.heading("1. Staffing needed")
    pdf.line_of(answer_source)
    if answer is None:
        pdf.line_of("The model cannot answer with these inputs.")
    else:
        pdf.line_of(
            f"{answer['analysts_needed']} analysts needed for {answer['cases_per_year']:.1f} "
            f"cases a year; {answer['analysts_on_board']} on board; gap {answer['gap']}."
        )
        pdf.simple_table(
            ["Phase", "Cases/month", "Analysts", "Utilisation", "P(wait)", "Wait (d)",
             "In phase (d)", "Target (d)"],
            [
                [p.get("label", p["phase"]), _num(p["arrival_rate"], 2), p["analysts_needed"],
                 _num(p["utilisation"], 2), _num(p["wait_probability"], 3),
                 _num(p["expected_wait_days"]), _num(p["expected_days_in_phase"]),
                 _num(p["target_days"], 0)]
                for p in answer["phases"]
            ],
            [pdf.epw - 140, 20, 18, 20, 18, 18, 24, 22],
        )  # fmt: skip
        queue = answer.get("cee_review")  # absent from scenarios saved before it was modelled
        if queue:
            pdf.line_of(
                f"CEE review queue (proof reviews and UFLPA requests): {queue['analysts_needed']} "
                f"import specialists needed for {queue['arrival_rate']:.2f} reviews a month at "
                f"{queue['hours_per_case']:g} hours each; expected "
                f"{queue['expected_days_in_phase']:.1f} days to a recommendation against a target "
                f"of {queue['target_days']:g} (not counted in the analysts above)."
            )

    pdf.heading("2. Demand by month")
    pdf.line_of(
        f"{history.first_month:%Y-%m} to {history.last_month:%Y-%m}: "
        f"{history.allegations_per_year:.1f} allegations and {history.cases_per_year:.1f} cases "
        "opened a year on average."
    )
    pdf.simple_table(
        ["Month", "Allegations", "Cases opened", "Suspensions", "Lack of personnel"],
        [
            [f"{r.month:%Y-%m}", r.allegations, r.cases_opened, r.suspensions,
             r.suspensions_lack_of_personnel]
            for r in history.months
        ],
        [30, 35, 35, 35, pdf.epw - 135],
    )  # fmt: skip
    pdf.line_of(
        "Detention work a year on average: "
        f"{history.detentions_section_307_per_year:.1f} shipment detentions under a WRO or "
        f"Finding (Section 307) and {history.detentions_uflpa_per_year:.1f} under the UFLPA "
        f"presumption; {history.reviews_section_307_per_year:.1f} and "
        f"{history.reviews_uflpa_per_year:.1f} taken into review of the importer's proof; "
        f"{history.uflpa_reviews_requested_per_year:.1f} UFLPA applicability reviews and "
        f"{history.uflpa_exceptions_requested_per_year:.1f} exception requests filed."
    )
    pdf.simple_table(
        ["Month", "Det. 307", "Det. UFLPA", "Rev. 307", "Rev. UFLPA", "Appl. reviews",
         "Exceptions"],
        [
            [f"{r.month:%Y-%m}", r.detentions_section_307, r.detentions_uflpa,
             r.reviews_section_307, r.reviews_uflpa, r.uflpa_reviews_requested,
             r.uflpa_exceptions_requested]
            for r in history.months
        ],
        [pdf.epw - 150, 25, 25, 25, 25, 25, 25],
    )  # fmt: skip

    pdf.heading("3. Time in each phase (calendar days)")
    pdf.simple_table(
        ["Phase", "Finished stays", "Mean", "Median", "In it now", "Share reaching"],
        [
            [p.label, p.completed_stays, _num(p.mean_days, 0), _num(p.median_days, 0),
             p.open_stays, "-" if p.share_of_cases is None else f"{p.share_of_cases:.0%}"]
            for p in history.phases
        ],
        [pdf.epw - 130, 26, 22, 22, 26, 34],
    )  # fmt: skip

    pdf.heading("4. Caseload per analyst (open cases)")
    pdf.simple_table(
        ["Analyst", "Active", "Suspended", "Open"],
        [
            [r.name or r.username or "Not assigned", r.active, r.suspended, r.total]
            for r in history.caseloads
        ],
        [pdf.epw - 75, 25, 25, 25],
    )
    pdf.line_of(
        f"Suspended now: {history.suspensions.suspended_now}, of which "
        f"{history.suspensions.lack_of_personnel_now} for lack of personnel."
    )

    pdf.heading("5. Skills gaps")
    pdf.simple_table(
        ["Competency", "Level", "Needed", "Held", "Below", "Training", "Gap"],
        [
            [g.competency.name, g.required_level, g.required_headcount, g.held, g.held_below,
             g.in_training, g.gap]
            for g in gaps
        ],
        [pdf.epw - 110, 15, 19, 19, 19, 19, 19],
    )  # fmt: skip
    pdf.line_of(f"Training plans overdue: {overdue_training}.")
    return bytes(pdf.output())
