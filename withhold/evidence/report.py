"""The allegation report as a PDF (fpdf2: pure Python, no system libraries).

Same content as the printable page (``templates/evidence/report.html``): summary, supply chain,
indicator matrix, evidence list with sources and reliability, trade summary. The PDF core fonts
cover Latin-1 only; other characters are replaced, and the printable page keeps them all.
"""

from datetime import datetime

from django.utils import timezone

from withhold.core.pdf import ReportPdf

from .matrix import GRADES
from .selectors import AllegationReport


def report_pdf(report: AllegationReport, *, generated_at: datetime, generated_by: str) -> bytes:
    case = report.case
    marking = "LAW ENFORCEMENT SENSITIVE" if case.law_enforcement_sensitive else "SENSITIVE"
    pdf = ReportPdf(f"{marking} - {case.number} - allegation report")
    pdf.report_title(f"Allegation report {case.number}")
    pdf.line_of(case.title)
    pdf.line_of(
        f"Generated {timezone.localtime(generated_at):%Y-%m-%d %H:%M %Z} by {generated_by}. {marking}."
    )
    if case.is_demo:
        pdf.line_of("DEMO DATA - made-up case, not a real investigation.")

    pdf.heading("1. Summary")
    pdf.line_of(case.allegation_summary)
    pdf.line_of(
        f"Commodity: {case.commodity}. HTS: {case.hts_code or '-'}. Source country: "
        f"{case.source_country}. Phase: {case.get_phase_display()}."
    )

    pdf.heading("2. Supply chain")
    pdf.simple_table(
        ["Role", "Entity", "Country"],
        [[e.get_role_display(), e.entity.name, e.entity.country or "-"] for e in report.entities],
        [45, 110, pdf.epw - 155],
    )
    if report.links:
        pdf.ln(2)
        pdf.simple_table(
            ["Supplier", "Buyer", "Goods", "Evidence"],
            [[lk.supplier.name, lk.buyer.name, lk.goods, lk.evidence_count] for lk in report.links],
            [60, 60, pdf.epw - 140, 20],
        )

    pdf.heading("3. ILO indicators against the evidence (items by source reliability)")
    cell = (pdf.epw - 80) / (len(GRADES) + 1)
    pdf.simple_table(
        ["Indicator", *GRADES, "Total"],
        [[f"{r.number}. {r.name}", *r.cells, r.total] for r in report.matrix],
        [80, *([cell] * len(GRADES)), cell],
    )

    pdf.heading("4. Evidence")
    pdf.simple_table(
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
        [20, 28, 40, 13, 22, pdf.epw - 123],
    )

    pdf.heading("5. U.S. imports (trade data)")
    trade = report.trade
    pdf.line_of(f"{trade.entries} entries, total entered value ${trade.total_value:,.2f}.")
    if trade.by_year:
        pdf.simple_table(
            ["Year", "Entries", "Value (USD)"],
            [[r["year"], r["entries"], f"{r['value']:,.2f}"] for r in trade.by_year],
            [30, 30, 50],
        )
        pdf.ln(2)
        pdf.simple_table(
            ["Importer", "Entries", "Value (USD)"],
            [[r["importer"], r["entries"], f"{r['value']:,.2f}"] for r in trade.by_importer],
            [100, 30, 50],
        )
    return bytes(pdf.output())
