"""A file's name and its content must agree (``core.files.EXTENSION_TYPES``): plain text named
``certificate.pdf`` is refused by every upload, whatever kind of document it is filed as."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from withhold.core import files
from withhold.core.exceptions import ApplicationError

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TEXT = b"I certify these goods are fine.\n"


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("certificate.pdf", TEXT, "named as a .pdf file but holds plain text"),
        ("scan.PDF", PNG, "named as a .pdf file but holds PNG image"),
        ("statement.docx", PDF, "named as a .docx file but holds PDF"),
        ("notes.txt", PDF, "named as a .txt file but holds PDF"),
    ],
)
def test_a_name_that_claims_another_kind_is_refused(name, data, problem):
    with pytest.raises(ApplicationError) as refused:
        files.check_upload(SimpleUploadedFile(name, data))
    assert f"“{name}”" in refused.value.message and problem in refused.value.message


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("certificate.pdf", PDF, files.PDF),
        ("photo.jpg", PNG, files.PNG),  # images come under each other's names
        ("rows.txt", b"a,b\n1,2\n", files.TEXT),
        ("rows.csv", b"a,b\n1,2\n", files.CSV),
        ("statement", TEXT, files.TEXT),  # no extension: the name says nothing
        ("statement.md", TEXT, files.TEXT),
    ],
)
def test_a_name_that_agrees_or_says_nothing_is_accepted(name, data, content_type):
    assert files.check_upload(SimpleUploadedFile(name, data)).content_type == content_type
