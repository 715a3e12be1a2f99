"""A public report with any attached file: accepted with its checked attachments, or refused with
our own message and nothing stored (no allegation, no attachment)."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from withhold.core.exceptions import ApplicationError
from withhold.intake.models import Allegation, AllegationAttachment

from ..hostile import PARSER_SETTINGS

prefixes = st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"MZ\x90"])
names = st.one_of(
    st.sampled_from(["statement.pdf", "photo.png", "x.exe", ":", "a:b.pdf", "é.pdf"]),
    # What a browser's multipart upload can carry: no path, not empty (Django strips those).
    st.text(max_size=40).filter(lambda n: n.strip(". ") and "/" not in n and "\\" not in n),
)


def _counts():
    return Allegation.objects.count(), AllegationAttachment.objects.count()


@PARSER_SETTINGS
@given(st.lists(st.tuples(prefixes, st.binary(max_size=200), names), max_size=3))
def test_any_attachments_are_kept_whole_or_refused(submit, files):
    cache.clear()  # the public form's rate limit would otherwise refuse later examples
    before = _counts()
    uploads = [SimpleUploadedFile(name, prefix + body) for prefix, body, name in files]
    try:
        submit(files=uploads)
    except (ValidationError, ApplicationError) as exc:
        assert str(exc)
        assert _counts() == before
        return
    assert _counts() == (before[0] + 1, before[1] + len(uploads))
