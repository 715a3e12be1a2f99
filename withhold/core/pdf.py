"""Printable reports as PDF (fpdf2: pure Python, no system libraries), shared by the allegation
report (``evidence/report.py``) and the workforce assessment (``workforce/report_pdf.py``).

The PDF core fonts cover Latin-1 only: other characters are replaced (dashes and arrows by their
ASCII look-alikes first), and each report's printable page keeps them all.
"""

from fpdf import FPDF


def latin1(text: object) -> str:
    value = str(text).replace("→", "->").replace("—", "-").replace("–", "-").replace("·", "-")
    return value.encode("latin-1", "replace").decode("latin-1")


class ReportPdf(FPDF):
    """A US Letter page with a footer line and page number, and the three things a report is
    made of: headings, lines of text and bordered tables (cells cut to fit their column)."""

    def __init__(self, footer_text: str):
        super().__init__(format="Letter")
        self.footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

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
        self.set_font("Helvetica", "B", 8)
        for header, w in zip(headers, widths, strict=True):
            self.cell(w, 6, latin1(header), border=1)
        self.ln()
        self.set_font("Helvetica", size=8)
        for row in rows:
            for value, w in zip(row, widths, strict=True):
                text = latin1(value)
                while self.get_string_width(text) > w - 2 and len(text) > 3:
                    text = text[:-2]
                self.cell(w, 5, text, border=1)
            self.ln()
        self.set_font("Helvetica", size=9)
