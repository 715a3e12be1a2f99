"""Checking uploaded files by their content, never by their name, and hashing them.

Used for every upload in Withhold (case documents, evidence, allegation attachments): the type is
read from the file's first bytes (and, for Office documents, from the zip's members), the size is
capped, zip containers are checked against decompression bombs, and the SHA-256 is computed
while reading.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .exceptions import ApplicationError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE = "application/x-ole-storage"
TEXT = "text/plain"
CSV = "text/csv"

DOCUMENT_TYPES = frozenset({PDF, PNG, JPEG, GIF, WEBP, TIFF, DOCX, XLSX, PPTX, OLE, TEXT, CSV})

TYPE_LABELS = {
    PDF: "PDF",
    PNG: "PNG image",
    JPEG: "JPEG image",
    GIF: "GIF image",
    WEBP: "WebP image",
    TIFF: "TIFF image",
    DOCX: "Word document",
    XLSX: "Excel workbook",
    PPTX: "PowerPoint presentation",
    OLE: "Office 97-2003 document",
    TEXT: "plain text",
    CSV: "CSV",
}

# What a file's name says it holds, by its extension: a file whose content is of another kind
# is refused (a text file named ``certificate.pdf`` is not a signed certificate, and whoever opens
# it later would find it unreadable). Images may come under each other's names (cameras and
# phones mislabel them) and Office files under their older names. A name without one of these
# extensions says nothing and is not checked.
_IMAGES = frozenset({PNG, JPEG, GIF, WEBP, TIFF})
EXTENSION_TYPES = {
    "pdf": frozenset({PDF}),
    **dict.fromkeys(("png", "jpg", "jpeg", "gif", "webp", "tif", "tiff"), _IMAGES),
    "docx": frozenset({DOCX}),
    "xlsx": frozenset({XLSX}),
    "pptx": frozenset({PPTX}),
    "doc": frozenset({OLE, DOCX}),
    "xls": frozenset({OLE, XLSX}),
    "ppt": frozenset({OLE, PPTX}),
    "txt": frozenset({TEXT, CSV}),
    "csv": frozenset({CSV, TEXT}),
}

ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def _zip_office_type(data: bytes, max_expanded: int = ZIP_MAX_UNCOMPRESSED) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if total > max_expanded or total / packed > ZIP_MAX_RATIO:
        raise ApplicationError(
            "The file expands to far more than its size (a possible zip bomb); it was refused."
        )
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "ppt/presentation.xml" in names:
        return PPTX
    return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


def sniff_content_type(
    data: bytes, name: str = "", *, max_expanded: int = ZIP_MAX_UNCOMPRESSED
) -> str | None:
    """The type of a file from its bytes, or None if it is none of the types Withhold accepts.
    A zip container expanding beyond ``max_expanded`` bytes (or 100 times its size) is refused."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head.startswith(b"PK\x03\x04"):
        return _zip_office_type(data, max_expanded)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if data and _looks_like_text(data):
        return CSV if name.lower().endswith(".csv") else TEXT
    return None


def check_upload(
    uploaded: UploadedFile,
    *,
    allowed: frozenset[str] = DOCUMENT_TYPES,
    max_bytes: int | None = None,
    max_expanded: int = ZIP_MAX_UNCOMPRESSED,
) -> CheckedFile:
    """Refuse a file that is too big, empty, not of an allowed type or not of the type its name
    says (``EXTENSION_TYPES``); return its facts.
    ``max_expanded`` caps what a zip container (XLSX, DOCX) may expand to, for readers that
    open it whole."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ApplicationError(
            f"“{uploaded.name}” is {uploaded.size:,} bytes; files may be at most {limit:,} bytes."
        )
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    uploaded.seek(0)
    if len(data) > limit:
        raise ApplicationError(f"“{uploaded.name}” is larger than the {limit:,}-byte limit.")
    if not data:
        raise ApplicationError(f"“{uploaded.name}” is empty.")
    content_type = sniff_content_type(data, uploaded.name or "", max_expanded=max_expanded)
    if content_type is None or content_type not in allowed:
        accepted = ", ".join(sorted({TYPE_LABELS[t] for t in allowed}))
        raise ApplicationError(
            f"“{uploaded.name}” is not a file type Withhold accepts (checked by its content, "
            f"not its name). Accepted: {accepted}."
        )
    problem = name_content_problem(uploaded.name or "", content_type)
    if problem:
        raise ApplicationError(problem)
    return CheckedFile(
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def name_content_problem(name: str, content_type: str) -> str | None:
    """Whether a file's name claims a kind of file (``EXTENSION_TYPES``) its content is not."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = EXTENSION_TYPES.get(extension)
    if claimed is None or content_type in claimed:
        return None
    return (
        f"“{name}” is named as a .{extension} file but holds {TYPE_LABELS[content_type]} (read "
        f"from its content, not its name); send the file itself, or name it for what it is."
    )


def storage_name(name: str | None, default: str = "upload") -> str:
    """A name the file storage accepts for an uploaded file's original name. Django's storage
    refuses names it cannot make a file name from (":", "..", only punctuation) with
    ``SuspiciousFileOperation``; the original name is still kept on the record for display."""
    from django.core.exceptions import SuspiciousFileOperation
    from django.utils.text import get_valid_filename

    try:
        return get_valid_filename((name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    except SuspiciousFileOperation:
        return default


def display_name(name: str | None, default: str = "upload") -> str:
    """An uploaded file's own name, as kept on its record: control characters (NUL among them,
    which PostgreSQL text refuses) removed, at most 255 characters."""
    cleaned = "".join(ch for ch in (name or "") if ch.isprintable()).strip()
    return (cleaned or default)[:255]
