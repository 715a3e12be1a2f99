"""The quality demo data: a made-up legacy spreadsheet imported as demo cases, and a snapshot,
once only."""

import pytest
from django.core.management import call_command

from withhold.cases.models import Case
from withhold.entities.models import Entity
from withhold.quality.demo import DEMO_FILE_NAME
from withhold.quality.models import LegacyImportRun, LegacyRecord, QualitySnapshot

from ..factories import CommodityFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def test_load_demo_imports_a_made_up_spreadsheet_once(client, capsys):
    CommodityFactory(name="Cotton", hs_code="5201")
    call_command("load_demo")
    assert "Imported a made-up legacy spreadsheet" in capsys.readouterr().out
    run = LegacyImportRun.objects.get(file_name=DEMO_FILE_NAME)
    assert run.counts == {
        "imported": 2,
        "needs_review": 2,
        "rejected": 1,
        "already_imported": 0,
        "skipped": 0,
    }
    legacy_cases = Case.objects.filter(legacy_records__run=run)
    assert legacy_cases.count() == 4
    assert all(c.is_demo and c.title.startswith("DEMO") for c in legacy_cases)
    made = Entity.objects.filter(name__startswith="DEMO Example")
    assert made.count() == 2 and all(e.is_demo for e in made)
    assert QualitySnapshot.objects.count() == 1

    call_command("load_demo")
    assert LegacyImportRun.objects.filter(file_name=DEMO_FILE_NAME).count() == 1
    assert LegacyRecord.objects.filter(run__file_name=DEMO_FILE_NAME).count() == 5
    assert QualitySnapshot.objects.count() == 1

    client.login(username="supervisor", password="withhold-demo")
    queue = client.get("/data-quality/legacy/", **HOST).content.decode()
    assert "DEMO legacy: cotton towels, no evidence recorded (made up)" in queue
    assert "the current update mentions “sent to chief counsel”" in queue
