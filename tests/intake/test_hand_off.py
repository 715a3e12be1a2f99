"""An allegation filed into a case carries its files: each becomes an evidence item of the case
with the same bytes and SHA-256, linked back to the file it came from and audited; the case page
names the allegation and the allegation page the case."""

import hashlib

import pytest

from withhold.audit.models import AuditAction, AuditEntry
from withhold.core.exceptions import ApplicationError
from withhold.evidence.models import EvidenceItem
from withhold.intake import services

from ..factories import CaseFactory, CommodityFactory
from .conftest import PDF_BYTES, pdf

HOST = {"HTTP_HOST": "127.0.0.1"}


def _opening():
    return services.CaseOpening(
        commodity=CommodityFactory(name="Cotton", hs_code="5201"),
        title="Cotton yarn from Example Spinning Mill",
        source_country="CN",
    )


@pytest.fixture
def with_files(submit):
    return submit(files=[pdf("statement.pdf"), pdf("second.pdf", PDF_BYTES + b"% 2\n")]).allegation


def test_opening_a_case_makes_each_file_an_evidence_item(with_files, intake_analyst):
    case = services.allegation_case_open(
        allegation=with_files, actor=intake_analyst, opening=_opening()
    )
    items = list(EvidenceItem.objects.filter(case=case).order_by("id"))
    attachments = list(with_files.attachments.order_by("uploaded_at", "id"))
    assert [i.original_name for i in items] == ["statement.pdf", "second.pdf"]
    for item, attachment in zip(items, attachments, strict=True):
        assert item.allegation_attachment == attachment
        assert item.sha256 == attachment.sha256
        assert hashlib.sha256(item.file.read()).hexdigest() == attachment.sha256
        assert item.source.code == "allegation"
        assert with_files.receipt_number in item.description
    audited = AuditEntry.objects.filter(action=AuditAction.EVIDENCE_ADDED, case_id=case.pk)
    assert sorted(a.data["from_allegation"] for a in audited) == [with_files.receipt_number] * 2
    assert "allegation" in set(case.evidence_sources.values_list("code", flat=True))


def test_attaching_carries_the_files_too(with_files, supervisor):
    case = CaseFactory()
    services.allegation_case_attach(allegation=with_files, case=case, actor=supervisor)
    assert EvidenceItem.objects.filter(case=case, allegation_attachment__isnull=False).count() == 2


def test_a_file_changed_in_storage_is_refused_and_nothing_is_decided(with_files, intake_analyst):
    attachment = with_files.attachments.first()
    with attachment.file.storage.open(attachment.file.name, "wb") as stored:
        stored.write(b"%PDF-1.4 tampered\n%%EOF\n")
    with pytest.raises(ApplicationError, match="no longer matches"):
        services.allegation_case_open(
            allegation=with_files, actor=intake_analyst, opening=_opening()
        )
    with_files.refresh_from_db()
    assert with_files.decision == "" and not EvidenceItem.objects.exists()


def test_the_case_page_names_the_allegation_and_the_allegation_page_the_case(
    client, with_files, intake_analyst, case_analyst
):
    case = services.allegation_case_open(
        allegation=with_files, actor=intake_analyst, opening=_opening()
    )
    client.force_login(case_analyst)
    page = client.get(f"/cases/{case.number}/", **HOST).content.decode()
    assert f'href="/intake/{with_files.receipt_number}/"' in page
    allegation_page = client.get(f"/intake/{with_files.receipt_number}/", **HOST)
    assert allegation_page.status_code == 200
    body = allegation_page.content.decode()
    assert f'href="/cases/{case.number}/#evidence"' in body
