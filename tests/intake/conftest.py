import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from withhold.intake import services

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
# A Windows executable's first bytes: not a type Withhold accepts, whatever its name says.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64

GOOD_REASONS = (
    "Workers at the spinning mill told a union organiser in March 2025 that the company keeps "
    "their passports on arrival, deducts recruitment fees from wages for the first year, and "
    "locks the dormitory gates at night. Three former workers gave written statements, which are "
    "attached, and a local newspaper reported the same practices in January."
)


def pdf(name="statement.pdf", data=PDF_BYTES):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def report_fields(**overrides):
    fields = {
        "reasons": GOOD_REASONS,
        "merchandise_description": "Combed cotton yarn, 30s count, on cones packed in woven bags",
        "hts_code": "5205",
        "manufacturer_name": "Example Spinning Mill Co., Ltd.",
        "manufacturer_address": "12 Mill Road, Example Town",
        "country": "CN",
        "region": "Example Province",
        "supply_chain_companies": "Example Trading Co. (exporter)",
        "us_importers": "",
        "production_period": "Spring 2025",
        "submitter_type": "ngo",
        "anonymous": True,
    }
    fields.update(overrides)
    return fields


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def submit(db):
    def make(files=(), ilo_indicators=(), **overrides):
        return services.allegation_submit(
            files=list(files), ilo_indicators=ilo_indicators, **report_fields(**overrides)
        )

    return make


@pytest.fixture
def allegation(submit):
    return submit(files=[pdf()], ilo_indicators=[7, 8]).allegation
