"""The text of a PDF made by ``core.pdf.ReportPdf``, line by line, as a reader would copy it.

fpdf2 writes each line of text as one ``(...) Tj`` string in a Flate-compressed content stream;
this reads them back in order (no PDF library is needed for our own simple output)."""

import re
import zlib

# The stream's bytes up to "endstream", with the end-of-line before it: a compressed stream may
# itself end in a carriage return, which a pattern taking "\r?\n" off the end would cut.
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
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


def pdf_streams(data: bytes) -> list[tuple[bytes, bool]]:
    """Each stream of the PDF as (its bytes, whether they were Flate-compressed), decompressed
    where they were."""
    streams = []
    for match in _STREAM.finditer(data):
        raw = match.group(1)
        try:
            # Stops where the compressed data ends; the end-of-line after it is left unused.
            streams.append((zlib.decompressobj().decompress(raw), True))
        except zlib.error:
            streams.append((raw.removesuffix(b"\n").removesuffix(b"\r"), False))
    return streams


def pdf_text_lines(data: bytes) -> list[str]:
    lines = []
    for content, compressed in pdf_streams(data):
        if not compressed:
            continue  # a font or image stream
        lines.extend(_unescape(m.group(1)).strip() for m in _SHOW.finditer(content))
    return lines


def pdf_words(data: bytes) -> set[str]:
    return {word for line in pdf_text_lines(data) for word in line.split()}
