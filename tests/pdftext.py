"""The text of a PDF made by ``core.pdf.ReportPdf``, line by line, as a reader would copy it.

fpdf2 writes each line of text as one ``(...) Tj`` string in a Flate-compressed content stream;
this reads them back in order (no PDF library is needed for our own simple output)."""

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_SHOW = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
_ESCAPE = re.compile(rb"\\([nrtbf()\\]|[0-7]{1,3})")
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> str:
    def one(match: re.Match) -> bytes:
        code = match.group(1)
        if code in _SIMPLE:
            return _SIMPLE[code]
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return code

    return _ESCAPE.sub(one, raw).decode("latin-1")


def pdf_text_lines(data: bytes) -> list[str]:
    lines = []
    for match in _STREAM.finditer(data):
        try:
            content = zlib.decompress(match.group(1))
        except zlib.error:
            continue  # a font or image stream
        lines.extend(_unescape(m.group(1)).strip() for m in _SHOW.finditer(content))
    return lines


def pdf_words(data: bytes) -> set[str]:
    return {word for line in pdf_text_lines(data) for word in line.split()}
