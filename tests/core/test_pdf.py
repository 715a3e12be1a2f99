"""Reports as PDF (``core/pdf.py``, shared by the allegation and workforce reports): text wraps on
word boundaries and nothing is cut."""

from withhold.core.pdf import ReportPdf

from ..pdftext import pdf_text_lines, pdf_words

LONG = (
    "Former workers describe recruitment agents confiscating passports at the dormitory gate, "
    "wage deductions for uniforms and housing, and supervisors threatening deportation to anyone "
    "who asked to leave before the end of the three-year contract period."
)


def test_table_cells_wrap_on_word_boundaries_and_keep_every_word():
    pdf = ReportPdf("footer")
    pdf.simple_table(["Kind", "Description"], [["Interview", LONG]], [25, 60])
    lines = pdf_text_lines(bytes(pdf.output()))
    assert set(LONG.split()) <= pdf_words(bytes(pdf.output()))
    wrapped = [line for line in lines if line and line in LONG]
    assert len(wrapped) > 3  # several lines in the narrow column, each a run of whole words
    assert " ".join(wrapped) == LONG


def test_a_word_longer_than_its_column_is_broken_only_there_and_kept_whole_in_order():
    word = "Xinjiang" + "Production" * 6
    pdf = ReportPdf("footer")
    pdf.simple_table(["Entity"], [[f"The {word} Corps"]], [30])
    lines = [line for line in pdf_text_lines(bytes(pdf.output())) if line not in ("Entity",)]
    body = lines[: lines.index("footer - page 1")]
    assert body[0] == "The"  # the short word is not glued to the start of the long one
    assert len(body) > 3  # the long word runs over several lines
    assert "".join(body[1:]) == f"{word} Corps"


def test_lines_of_text_wrap_on_word_boundaries():
    pdf = ReportPdf("footer")
    pdf.line_of(LONG * 2)
    lines = pdf_text_lines(bytes(pdf.output()))
    assert len(lines) > 2
    assert " ".join(lines[:-1]).split() == (LONG * 2).split()
