"""Printable reports as PDF (fpdf2: pure Python, no system libraries), shared by the allegation
report (``evidence/report.py``) and the workforce assessment (``workforce/report_pdf.py``).

The PDF core fonts cover Latin-1 only: other characters are replaced (dashes and arrows by their
ASCII look-alikes first), and each report's printable page keeps them all.
"""

from fpdf import FPDF, FontFace
from fpdf.enums import TableHeadingsDisplay, WrapMode


def latin1(text: object) -> str:
    value = str(text).replace("→", "->").replace("—", "-").replace("–", "-").replace("·", "-")
    return value.encode("latin-1", "replace").decode("latin-1")


class ReportPdf(FPDF):
    """A US Letter page with a footer line and page number, and the three things a report is
    made of: headings, lines of text and bordered tables.

    Nothing is cut: text and table cells wrap on word boundaries (fpdf2's ``multi_cell`` and
    ``table``, ``WrapMode.WORD``); a word longer than its whole line or column is the only thing
    broken, at the last character that fits, and goes on on the next line. A table row grows to
    its tallest cell, and the headings repeat on each page a table runs onto.
    """

    def __init__(self, footer_text: str):
        super().__init__(format="Letter")
        self.footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()
        self.set_font("Helvetica", size=9)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(0, 5, latin1(f"{self.footer_text} - page {self.page_no()}"), align="C")

    def report_title(self, text: str) -> None:
        self.set_font("Helvetica", "B", 15)
        self.line_of(text)
        self.set_font("Helvetica", size=9)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", 12)
        self.multi_cell(self.epw, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=9)

    def line_of(self, text: str) -> None:
        self.multi_cell(self.epw, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def simple_table(self, headers: list[str], rows: list[list], widths: list[float]) -> None:
        """A bordered table: ``widths`` in mm, one per column; each cell wraps its whole text."""
        self.set_font("Helvetica", size=8)
        with self.table(
            width=sum(widths),
            col_widths=widths,
            align="LEFT",
            text_align="LEFT",
            v_align="TOP",
            line_height=4,
            padding=(0.8, 1),
            wrapmode=WrapMode.WORD,
            headings_style=FontFace(emphasis="BOLD"),
            repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
        ) as table:
            table.row([latin1(header) for header in headers])
            for values in rows:
                table.row([latin1(value) for value in values])
        self.ln(1)
        self.set_font("Helvetica", size=9)
