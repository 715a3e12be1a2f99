"""The allegation report as a PDF (fpdf2: pure Python, no system libraries).

Same content as the printable page (``templates/evidence/report.html``): summary, supply chain,
indicator matrix, evidence list with sources and reliability, trade summary. The PDF core fonts
cover Latin-1 only; other characters are replaced, and the printable page keeps them all.
"""

from datetime import datetime

from fpdf import FPDF

from .matrix import GRADES
from .selectors import AllegationReport


def _latin1(text: object) -> str:
    value = str(text).replace("→", "->").replace("—", "-").replace("–", "-").replace("·", "-")
    return value.encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="Letter")
        self.footer_text = footer_text

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(0, 5, _latin1(f"{self.footer_text} - page {self.page_no()}"), align="C")


def report_pdf(report: AllegationReport, *, generated_at: datetime, generated_by: str) -> bytes:
    case = report.case
    marking = "LAW ENFORCEMENT SENSITIVE" if case.law_enforcement_sensitive else "SENSITIVE"
    pdf = _Pdf(f"{marking} - {case.number} - allegation report")
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
    line(f"Allegation report {case.number}")
    pdf.set_font("Helvetica", size=9)
    line(case.title)
    line(f"Generated {generated_at:%Y-%m-%d %H:%M} UTC by {generated_by}. {marking}.")
    if case.is_demo:
        line("DEMO DATA - made-up case, not a real investigation.")

    heading("1. Summary")
    line(case.allegation_summary)
    line(
        f"Commodity: {case.commodity}. HTS: {case.hts_code or '-'}. Source country: "
        f"{case.source_country}. Phase: {case.get_phase_display()}."
    )

    heading("2. Supply chain")
    table(
        ["Role", "Entity", "Country"],
        [[e.get_role_display(), e.entity.name, e.entity.country or "-"] for e in report.entities],
        [45, 110, width - 155],
    )
    if report.links:
        pdf.ln(2)
        table(
            ["Supplier", "Buyer", "Goods", "Evidence"],
            [[lk.supplier.name, lk.buyer.name, lk.goods, lk.evidence_count] for lk in report.links],
            [60, 60, width - 140, 20],
        )

    heading("3. ILO indicators against the evidence (items by source reliability)")
    cell = (width - 80) / (len(GRADES) + 1)
    table(
        ["Indicator", *GRADES, "Total"],
        [[f"{r.number}. {r.name}", *r.cells, r.total] for r in report.matrix],
        [80, *([cell] * len(GRADES)), cell],
    )

    heading("4. Evidence")
    table(
        ["Obtained", "Kind", "Source", "Grade", "Indicators", "Description"],
        [
            [
                f"{i.obtained_on:%Y-%m-%d}",
                i.get_kind_display(),
                i.source,
                i.grade,
                ", ".join(str(x.number) for x in i.indicators.all()),
                i.description,
            ]
            for i in report.items
        ],
        [20, 28, 40, 13, 22, width - 123],
    )

    heading("5. U.S. imports (trade data)")
    trade = report.trade
    line(f"{trade.entries} entries, total entered value ${trade.total_value:,.2f}.")
    if trade.by_year:
        table(
            ["Year", "Entries", "Value (USD)"],
            [[r["year"], r["entries"], f"{r['value']:,.2f}"] for r in trade.by_year],
            [30, 30, 50],
        )
        pdf.ln(2)
        table(
            ["Importer", "Entries", "Value (USD)"],
            [[r["importer"], r["entries"], f"{r['value']:,.2f}"] for r in trade.by_importer],
            [100, 30, 50],
        )
    return bytes(pdf.output())
