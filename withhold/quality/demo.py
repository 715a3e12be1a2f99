"""A made-up legacy spreadsheet run through the importer, and one snapshot of the data-quality
report, so the report, the review queue and the import history are not empty after
``make run``. Every case and company made is flagged ``is_demo`` and titled "DEMO"; the rows
carry the defects GAO-21-106 found (mixed status spellings, a missing evidence source, an update
that mentions a later phase, a commodity off the controlled list) so each outcome shows. Every
row stays in initiation: the evidence app's demo loader adds demo evidence to every demo case
from investigation on, and these cases are meant to show their defects, not to be filled in.

Run by ``withhold load-demo`` (found through ``DEMO_LOADERS``); running it again changes nothing.
"""

import csv
import io

from django.db import transaction

from withhold.accounts.models import User

from . import services
from .models import LegacyImportRun

DEMO_FILE_NAME = "DEMO legacy case tracker (made up).csv"

DEMO_MAPPING = """
[columns]
"Case #" = "legacy_number"
"Case Name" = "title"
"Allegation" = "allegation_summary"
"Commodity" = "commodity"
"Country" = "source_country"
"Source of Allegation" = "referral_source"
"Date Received" = "received_on"
"Date Opened" = "opened_on"
"Status" = "stage"
"Analyst" = "assigned_analyst"
"Supervisor" = "supervisor"
"Manufacturer" = "manufacturer"
"Evidence" = "evidence_sources"
"Current Update" = "current_update"
"Update Date" = "update_on"

[values.stage]
"Phase 1 - on hold" = { phase = "initiation", status = "suspended", reason = "lack_of_personnel" }

[options]
date_formats = ["%m/%d/%Y"]
"""

HEADINGS = ["Case #", "Case Name", "Allegation", "Commodity", "Country", "Source of Allegation",
            "Date Received", "Date Opened", "Status", "Analyst", "Supervisor", "Manufacturer",
            "Evidence", "Current Update", "Update Date"]  # fmt: skip

ROWS = [
    ["DEMO-L-001", "DEMO legacy: cotton yarn, Example Spinning (made up)",
     "Made up: workers report withheld wages and confiscated identity papers.", "Cotton", "CN",
     "NGO", "01/15/2019", "02/01/2019", "Exploration", "analyst", "supervisor",
     "DEMO Example Spinning Co. (made up)", "NGO; Media",
     "Importer questionnaires sent to three buyers.", "03/01/2019"],
    ["DEMO-L-002", "DEMO legacy: cotton towels, no evidence recorded (made up)",
     "Made up: debt bondage through recruitment fees reported by former workers.", "Cotton",
     "PK", "media", "02/15/2019", "02/20/2019", "1", "analyst2", "supervisor", "", "", "", ""],
    ["DEMO-L-003", "DEMO legacy: cotton shirts, narrative ahead of phase (made up)",
     "Made up: seasonal workers held in housing they may not leave.", "Cotton", "IN", "NGO",
     "03/01/2019", "03/05/2019", "Initiation", "analyst", "supervisor", "", "Media",
     "Sent to Chief Counsel for a legal sufficiency review.", "04/02/2019"],
    ["DEMO-L-004", "DEMO legacy: cotton fabric, on hold for staff (made up)",
     "Made up: forced overtime under threat of dismissal.", "Cotton", "CN", "NGO",
     "04/01/2019", "04/03/2019", "Phase 1 - on hold", "analyst2", "supervisor",
     "DEMO Example Weaving Ltd. (made up)", "NGO", "", ""],
    ["DEMO-L-005", "DEMO legacy: widgets, not a listed commodity (made up)",
     "Made up: no commodity on the controlled list.", "Widgets", "CN", "NGO", "06/01/2019",
     "06/02/2019", "1", "analyst", "supervisor", "", "", "", ""],
]  # fmt: skip


def demo_spreadsheet() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    writer.writerows(ROWS)
    return out.getvalue().encode()


@transaction.atomic
def quality_demo_load(*, stdout=None) -> dict:
    if LegacyImportRun.objects.filter(file_name=DEMO_FILE_NAME).exists():
        return {"legacy_rows": 0, "snapshots": 0}
    supervisor = User.objects.filter(is_demo=True, username="supervisor").first()
    if supervisor is None:
        return {"legacy_rows": 0, "snapshots": 0}
    report = services.legacy_import(
        actor=supervisor,
        data=demo_spreadsheet(),
        file_name=DEMO_FILE_NAME,
        mapping_text=DEMO_MAPPING,
        is_demo=True,
    )
    services.quality_snapshot_take(actor=supervisor)
    if stdout is not None:
        counts = ", ".join(f"{n} {services.OUTCOME_LABELS[o]}" for o, n in report.counts.items())
        stdout.write(f"Imported a made-up legacy spreadsheet ({counts}); took a snapshot.\n")
    return {"legacy_rows": len(report.rows), "snapshots": 1}


DEMO_LOADERS = [quality_demo_load]
