import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from withhold.cases import services
from withhold.cases.models import CaseDocument
from withhold.evidence import services as evidence_services

from ..factories import CaseFactory, EntityFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def pdf(name="report.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def new_case(case_analyst, commodity):
    """A case opened through the service, with only what creation requires."""
    return services.case_create(
        actor=case_analyst,
        title="Cotton yarn from Example Spinning",
        allegation_summary="Workers report that recruiters keep their identity cards.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate() - dt.timedelta(days=10),
    )


@pytest.fixture
def ready_for_investigation(new_case, case_analyst, supervisor):
    case = services.case_update(
        case=new_case,
        actor=supervisor,
        assigned_analyst=case_analyst,
        supervisor=supervisor,
    )
    evidence_services.evidence_add(
        case=case,
        actor=case_analyst,
        kind="ngo_report",
        source="ngo_report",
        obtained_on=timezone.localdate() - dt.timedelta(days=3),
        description="Workers describe recruiters keeping their passports.",
        language="English",
        source_reliability="B",
        information_credibility="2",
    )
    services.case_entity_link(
        case=case,
        entity=EntityFactory(name="Example Spinning Mill"),
        role="supplier",
        actor=case_analyst,
    )
    return case


@pytest.fixture
def in_investigation(ready_for_investigation, case_analyst):
    return services.case_phase_change(
        case=ready_for_investigation, to_phase="investigation", actor=case_analyst
    )


@pytest.fixture
def ready_for_legal_review(in_investigation, case_analyst):
    case = in_investigation
    services.case_entity_link(
        case=case,
        entity=EntityFactory(name="Example Garment Factory"),
        role="manufacturer",
        actor=case_analyst,
    )
    case = services.case_hsi_referral_record(
        case=case, actor=case_analyst, notified_on=timezone.localdate()
    )
    case = services.case_update(
        case=case, actor=case_analyst, ilo_indicators=[3, 7], estimated_annual_import_value=250000
    )
    services.case_document_add(
        case=case,
        actor=case_analyst,
        kind=CaseDocument.Kind.ALLEGATION_REPORT,
        title="Allegation report",
        uploaded_file=pdf(),
    )
    return case


__all__ = ["CaseFactory", "pdf"]
