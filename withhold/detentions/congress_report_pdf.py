"""The report to Congress of a granted UFLPA exception as a PDF (fpdf2, as the workforce
assessment's ``workforce/report_pdf.py`` is built).

The same text as the report's page (``templates/detentions/congress_report.html``): the goods,
the evidence considered and the finding that the three conditions of section 3(b) are met —
the report's ``PUBLIC_FIELDS`` and nothing else of the file, so the public register can serve it.
"""

from withhold.core.pdf import ReportPdf

from .models import CongressReport

SECTION_3C = (
    "Uyghur Forced Labor Prevention Act (Public Law 117-78), section 3(c): not later than 30 "
    "days after granting an exception under section 3(b), the Commissioner reports it to "
    "Congress and makes the report public."
)


def congress_report_pdf(report: CongressReport) -> bytes:
    title = f"Report to Congress {report.number}: exception to the UFLPA presumption"
    pdf = ReportPdf(title)
    if report.is_demo:
        pdf.line_of("DEMO - made-up record from the demo data set.")
    pdf.report_title(title)
    pdf.line_of(SECTION_3C)
    pdf.line_of(f"Exception granted on {report.granted_on:%Y-%m-%d}.")
    if report.sent_on:
        pdf.line_of(f"Sent to Congress and published on {report.sent_on:%Y-%m-%d}.")
    pdf.heading("1. The goods")
    pdf.line_of(report.goods)
    pdf.heading("2. The evidence considered")
    pdf.line_of(report.evidence_considered)
    pdf.heading("3. Finding")
    pdf.line_of(
        "The Commissioner finds that the three conditions of section 3(b) are met: the "
        "importer fully complied with the guidance; it completely and substantively answered "
        "every request for information; and clear and convincing evidence shows that the goods "
        "were not mined, produced or manufactured wholly or in part by forced labor."
    )
    pdf.line_of(report.finding)
    return bytes(pdf.output())
