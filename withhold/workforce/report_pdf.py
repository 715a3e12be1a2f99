"""The workforce needs assessment as a PDF (fpdf2, as ``withhold/evidence/report.py`` does).

Same content as the printable page (``templates/workforce/report.html``): the staffing answer,
demand by month, time in phase, caseloads, suspensions and skill gaps. The PDF core fonts cover
Latin-1 only; other characters are replaced, and the printable page keeps them all.
"""

from datetime import datetime

from fpdf import FPDF

from .selectors import Assessment, GapRow


def _latin1(text: object) -> str:
    value = str(text).replace("→", "->").replace("—", "-").replace("–", "-").replace("·", "-")
    return value.encode("latin-1", "replace").decode("latin-1")


def _num(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


class _Pdf(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(0, 5, f"Workforce needs assessment - page {self.page_no()}", align="C")


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
    pdf = _Pdf(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(width, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)

    def line(text: str) -> None:
        pdf.multi_cell(width, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    def table(headers: list[str], rows: list[list], widths: list[float]) -> None:
        pdf.set_font("Helvetica", "B", 8)
        for h, w in zip(headers, widths, strict=True):
            pdf.cell(w, 6, _latin1(h), border=1)
        pdf.ln()
        pdf.set_font("Helvetica", size=8)
        for row in rows:
            for value, w in zip(row, widths, strict=True):
                text = _latin1(value)
                while pdf.get_string_width(text) > w - 2 and len(text) > 3:
                    text = text[:-2]
                pdf.cell(w, 5, text, border=1)
            pdf.ln()
        pdf.set_font("Helvetica", size=9)

    pdf.set_font("Helvetica", "B", 15)
    line("Workforce needs assessment")
    pdf.set_font("Helvetica", size=9)
    line(f"Generated {generated_at:%Y-%m-%d %H:%M} UTC by {generated_by}.")
    line("In answer to GAO-21-106 recommendation 1: assess the division's workforce needs.")

    heading("1. Staffing needed")
    line(answer_source)
    if answer is None:
        line("The model cannot answer with these inputs.")
    else:
        line(
            f"{answer['analysts_needed']} analysts needed for {answer['cases_per_year']:.1f} "
            f"cases a year; {answer['analysts_on_board']} on board; gap {answer['gap']}."
        )
        table(
            ["Phase", "Cases/month", "Analysts", "Utilisation", "P(wait)", "Wait (d)",
             "In phase (d)", "Target (d)"],
            [
                [p.get("label", p["phase"]), _num(p["arrival_rate"], 2), p["analysts_needed"],
                 _num(p["utilisation"], 2), _num(p["wait_probability"], 3),
                 _num(p["expected_wait_days"]), _num(p["expected_days_in_phase"]),
                 _num(p["target_days"], 0)]
                for p in answer["phases"]
            ],
            [width - 140, 20, 18, 20, 18, 18, 24, 22],
        )  # fmt: skip

    heading("2. Demand by month")
    line(
        f"{history.first_month:%Y-%m} to {history.last_month:%Y-%m}: "
        f"{history.allegations_per_year:.1f} allegations and {history.cases_per_year:.1f} cases "
        "opened a year on average."
    )
    table(
        ["Month", "Allegations", "Cases opened", "Suspensions", "Lack of personnel"],
        [
            [f"{r.month:%Y-%m}", r.allegations, r.cases_opened, r.suspensions,
             r.suspensions_lack_of_personnel]
            for r in history.months
        ],
        [30, 35, 35, 35, width - 135],
    )  # fmt: skip

    heading("3. Time in each phase (calendar days)")
    table(
        ["Phase", "Finished stays", "Mean", "Median", "In it now", "Share reaching"],
        [
            [p.label, p.completed_stays, _num(p.mean_days, 0), _num(p.median_days, 0),
             p.open_stays, "-" if p.share_of_cases is None else f"{p.share_of_cases:.0%}"]
            for p in history.phases
        ],
        [width - 130, 26, 22, 22, 26, 34],
    )  # fmt: skip

    heading("4. Caseload per analyst (open cases)")
    table(
        ["Analyst", "Active", "Suspended", "Open"],
        [
            [r.name or r.username or "Not assigned", r.active, r.suspended, r.total]
            for r in history.caseloads
        ],
        [width - 75, 25, 25, 25],
    )
    line(
        f"Suspended now: {history.suspensions.suspended_now}, of which "
        f"{history.suspensions.lack_of_personnel_now} for lack of personnel."
    )

    heading("5. Skills gaps")
    table(
        ["Competency", "Level", "Needed", "Held", "Below", "Training", "Gap"],
        [
            [g.competency.name, g.required_level, g.required_headcount, g.held, g.held_below,
             g.in_training, g.gap]
            for g in gaps
        ],
        [width - 110, 15, 19, 19, 19, 19, 19],
    )  # fmt: skip
    line(f"Training plans overdue: {overdue_training}.")
    return bytes(pdf.output())
