"""``check_upload`` on any bytes and any name: a checked file or our own clear refusal."""

import io
import zipfile

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import assume, given
from hypothesis import strategies as st

from withhold.core.exceptions import ApplicationError
from withhold.core.files import DOCUMENT_TYPES, check_upload

from ..hostile import PARSER_SETTINGS

names = st.one_of(
    st.sampled_from(["a.pdf", "b.xlsx", "c.docx", "d.csv", "e.txt", "f.png", "", "x" * 300]),
    st.text(max_size=60),
)
prefixes = st.sampled_from(
    [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"MZ"]
)


@PARSER_SETTINGS
@given(prefixes, st.binary(max_size=300), names)
def test_any_bytes_and_name_are_checked_or_refused_clearly(prefix, body, name):
    data = prefix + body
    try:
        upload = SimpleUploadedFile(name or "upload", data)
    except SuspiciousFileOperation:
        # A name with nothing left after its folders ("/", "a/") never reaches our code: Django's
        # request parser drops such a file part itself.
        assume(False)
    try:
        checked = check_upload(upload, max_bytes=250)
    except ApplicationError as exc:
        assert exc.message  # a sentence for the user
        return
    assert checked.content_type in DOCUMENT_TYPES
    assert 0 < checked.size <= 250


@PARSER_SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["word/document.xml", "xl/workbook.xml", "[Content_Types].xml", "a/../../b", "x"]
            ),
            st.binary(max_size=100),
        ),
        max_size=4,
        unique_by=lambda member: member[0],
    ),
    st.booleans(),
)
def test_any_zip_is_typed_or_refused_clearly(members, compressed):
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for member, content in members:
            archive.writestr(member, content)
    try:
        checked = check_upload(SimpleUploadedFile("upload.docx", buffer.getvalue()))
    except ApplicationError as exc:
        assert exc.message
        return
    assert checked.content_type in DOCUMENT_TYPES


def test_a_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\0" * 200_000_000)
    try:
        check_upload(SimpleUploadedFile("bomb.docx", buffer.getvalue()))
    except ApplicationError as exc:
        assert "zip bomb" in exc.message
    else:
        raise AssertionError("a 200 MB-expanding zip was accepted")


def test_storage_name_is_always_a_name_the_storage_accepts():
    from withhold.core.files import storage_name

    assert storage_name(":") == "upload"
    assert storage_name(None) == "upload"
    assert storage_name("memo", "memo") == "memo"
    assert storage_name("C:\\\\Users\\\\me\\\\proof of origin.pdf") == "proof_of_origin.pdf"


def test_display_name_drops_control_characters():
    from withhold.core.files import display_name

    assert display_name("proof\x00.pdf") == "proof.pdf"
    assert display_name("\x00") == "upload"
    assert len(display_name("a" * 400)) == 255
