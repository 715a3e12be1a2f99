import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from withhold.cases import services as case_services
from withhold.evidence import services

from ..factories import EntityFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def pdf(name="audit.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def csv_file(text: str, name="entries.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def add_evidence(case, actor, **overrides):
    fields = {
        "kind": "ngo_report",
        "source": "ngo_report",
        "obtained_on": timezone.localdate() - dt.timedelta(days=3),
        "description": "Workers describe recruiters keeping their passports.",
        "language": "English",
        "source_reliability": "B",
        "information_credibility": "2",
        "indicators": [7],
    }
    fields.update(overrides)
    return services.evidence_add(case=case, actor=actor, **fields)


@pytest.fixture
def case(case_analyst, supervisor, commodity):
    """A case opened through the service, assigned, with one supplier."""
    case = case_services.case_create(
        actor=supervisor,
        title="Cotton yarn from Example Spinning",
        allegation_summary="Workers report that recruiters keep their identity cards.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate() - dt.timedelta(days=10),
        assigned_analyst=case_analyst,
        supervisor=supervisor,
    )
    case_services.case_entity_link(
        case=case,
        entity=EntityFactory(name="Example Spinning Mill", country="CN"),
        role="processor",
        actor=case_analyst,
    )
    return case
