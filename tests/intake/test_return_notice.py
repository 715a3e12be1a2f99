"""19 CFR 12.42(c): a report lacking the elements of 12.42(b) is returned with a written notice
naming each missing element, kept on the allegation as a page and a PDF with its SHA-256, and
read by the submitter through the receipt."""

import hashlib

import pytest

from withhold.accounts.roles import Role
from withhold.audit.models import AuditAction, AuditEntry
from withhold.core.exceptions import ApplicationError
from withhold.intake import services
from withhold.intake.models import Decision, ReturnNotice

from ..factories import UserFactory
from ..pdftext import pdf_text_lines

HOST = {"HTTP_HOST": "127.0.0.1"}
REASONS = "Without the producer and the country we cannot tell which goods to look for."


@pytest.fixture
def thin(submit):
    """A report naming no producer and no country: its third element is missing."""
    return submit(manufacturer_name="", country="", manufacturer_address="", region="")


def test_the_notice_names_each_missing_element_and_keeps_its_pdf(thin, intake_analyst):
    notice = services.allegation_return_with_reasons(
        allegation=thin.allegation, actor=intake_analyst, reasons=REASONS
    )
    assert [m["key"] for m in notice.missing] == ["production"]
    content = notice.pdf.read()
    assert hashlib.sha256(content).hexdigest() == notice.pdf_sha256
    assert notice.pdf_size == len(content)
    text = " ".join(pdf_text_lines(content))
    assert "Facts about production abroad: missing" in text
    assert "Name the producer or manufacturer, if you know it." in text
    assert REASONS in text and thin.allegation.receipt_number in text
    thin.allegation.refresh_from_db()
    assert thin.allegation.decision == Decision.INFO_REQUESTED
    assert notice.information_request.is_open
    entry = AuditEntry.objects.get(action=AuditAction.ALLEGATION_INFO_REQUESTED)
    assert entry.data["return_notice"] == notice.pk
    assert entry.data["pdf_sha256"] == notice.pdf_sha256


def test_a_complete_report_is_not_returned(submit, intake_analyst):
    complete = submit(files=[], ilo_indicators=[7]).allegation
    with pytest.raises(ApplicationError, match="all three elements"):
        services.allegation_return_with_reasons(
            allegation=complete, actor=intake_analyst, reasons=REASONS
        )
    assert not ReturnNotice.objects.exists()


def test_the_submitter_reads_the_notice_through_the_receipt(client, thin, intake_analyst):
    notice = services.allegation_return_with_reasons(
        allegation=thin.allegation, actor=intake_analyst, reasons=REASONS
    )
    receipt = thin.allegation.receipt_number
    page_url = f"/report/status/{receipt}/returns/{notice.pk}/"
    # Without the follow-up code in this session: sent to enter it.
    assert client.get(page_url, **HOST)["Location"] == "/report/status/"
    client.post("/report/status/", {"receipt_number": receipt, "code": thin.follow_up_code}, **HOST)
    status = client.get(f"/report/status/{receipt}/", **HOST).content.decode()
    assert 'id="return-notices"' in status and page_url in status
    page = client.get(page_url, **HOST).content.decode()
    assert "Facts about production abroad: missing" in page and REASONS in page
    assert str(intake_analyst) not in page  # who wrote it is not the submitter's business
    pdf = client.get(page_url + "pdf/", **HOST)
    assert pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == notice.pdf_sha256


COLUMNS = [
    ("return", "POST", "/intake/{receipt}/return/"),
    ("notice", "GET", "/intake/{receipt}/returns/{notice}/"),
    ("notice_pdf", "GET", "/intake/{receipt}/returns/{notice}/pdf/"),
]
TRIAGE = [302, 200, 200]
NONE = [403, 403, 403]
MATRIX = {
    Role.INTAKE_ANALYST: TRIAGE,
    Role.SUPERVISOR: TRIAGE,
    Role.CASE_ANALYST: [404, 404, 404],  # reads only allegations linked to its cases
    Role.CHIEF_COUNSEL: NONE,
    Role.APPROVING_OFFICIAL: NONE,
    Role.TARGETING_ANALYST: NONE,
    Role.PORT_OFFICER: NONE,
    Role.HSI_LIAISON: NONE,
    Role.IMPORTER: NONE,
    Role.PUBLIC: NONE,
}


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r.value)
def test_permission_matrix(client, submit, role):
    earlier = submit(manufacturer_name="", country="").allegation
    issuer = UserFactory(role=Role.INTAKE_ANALYST, username="issuer")
    notice = services.allegation_return_with_reasons(
        allegation=earlier, actor=issuer, reasons=REASONS
    )
    waiting = submit(manufacturer_name="", country="").allegation
    client.force_login(UserFactory(role=role))
    got = [
        client.post(
            COLUMNS[0][2].format(receipt=waiting.receipt_number), {"reasons": REASONS}, **HOST
        ).status_code,
        *(
            client.get(
                url.format(receipt=earlier.receipt_number, notice=notice.pk), **HOST
            ).status_code
            for _, _, url in COLUMNS[1:]
        ),
    ]
    assert got == MATRIX[role]
    returned = ReturnNotice.objects.filter(allegation=waiting).exists()
    assert returned == (MATRIX[role][0] == 302)
