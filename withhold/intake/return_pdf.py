"""The 19 CFR 12.42(c) return notice as a PDF (``core.pdf.ReportPdf``): what the submitter is
told of their report, and nothing else."""

from datetime import date

from withhold.core.pdf import ReportPdf

TITLE = "Your report is returned with reasons (19 CFR 12.42(c))"


def return_notice_text(
    *, receipt_number: str, received_on: date, issued_on: date, missing: list[dict], reasons: str
) -> list[tuple[str, str]]:
    """The notice as (kind, text) lines, ``kind`` one of "title", "heading", "line": the page
    and the PDF draw the same lines."""
    lines = [
        ("title", TITLE),
        ("line", f"Receipt number: {receipt_number}"),
        ("line", f"Received on {received_on:%Y-%m-%d}; returned on {issued_on:%Y-%m-%d}."),
        (
            "line",
            "Thank you for your report. A report to CBP about goods made with forced labor "
            "needs three elements (19 CFR 12.42(b)): the reasons for your belief, a description "
            "of the goods, and what you know of where and by whom they are made. Your report "
            "cannot be taken further until the elements below are completed.",
        ),
        ("heading", "What is missing"),
    ]
    for element in missing:
        state = "missing" if element["level"] == "missing" else "needs more detail"
        lines.append(("heading", f"{element['label']}: {state}"))
        lines.extend(("line", f"- {advice}") for advice in element["advice"])
    lines += [
        ("heading", "Reasons"),
        ("line", reasons),
        ("heading", "How to answer"),
        (
            "line",
            'Open "Check a report" on the reporting site and enter your receipt number and '
            "follow-up code. Answer the question shown there and add any files; your report "
            "then returns to the analysts.",
        ),
    ]
    return lines


def return_notice_pdf(lines: list[tuple[str, str]]) -> bytes:
    pdf = ReportPdf(footer_text="Return of a report with reasons, 19 CFR 12.42(c)")
    for kind, text in lines:
        if kind == "title":
            pdf.report_title(text)
        elif kind == "heading":
            pdf.heading(text)
        else:
            pdf.line_of(text)
    return bytes(pdf.output())
