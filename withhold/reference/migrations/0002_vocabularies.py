"""Vocabularies every installation needs: the ILO's 11 indicators and the evidence-source kinds.

The indicator names and order are the ILO's (*ILO Indicators of Forced Labour*, 2012; the copy in
``withhold/reference/data/ilo_forced_labour_indicators.csv``); the explanations are our own plain
words for the forms.
"""

from django.db import migrations

ILO_INDICATORS = [
    (
        1,
        "Abuse of vulnerability",
        "The employer takes advantage of a worker's weak position: lack of "
        "the local language, irregular migration status, poverty or dependence on the employer.",
    ),
    (
        2,
        "Deception",
        "Workers were lied to about the job, the pay, the conditions or the employer "
        "when they were recruited.",
    ),
    (
        3,
        "Restriction of movement",
        "Workers are locked in, guarded or otherwise kept from leaving "
        "the workplace or their living quarters.",
    ),
    (
        4,
        "Isolation",
        "Workers are kept in remote places or cut off from contact with family and "
        "the outside world.",
    ),
    (
        5,
        "Physical and sexual violence",
        "Workers are beaten, assaulted or sexually abused, or forced to take drugs or alcohol.",
    ),
    (
        6,
        "Intimidation and threats",
        "Workers are threatened — with violence, being reported to the "
        "authorities, dismissal or harm to their families — to make them work or stay.",
    ),
    (
        7,
        "Retention of identity documents",
        "The employer keeps workers' passports or identity papers "
        "so they cannot leave or find other work.",
    ),
    (
        8,
        "Withholding of wages",
        "Pay is delayed, kept back or not paid at all, so workers stay in the hope of being paid.",
    ),
    (
        9,
        "Debt bondage",
        "Workers owe the employer or a recruiter a debt (fees, advances, housing) "
        "they cannot pay off, and must keep working.",
    ),
    (
        10,
        "Abusive working and living conditions",
        "Dangerous, degrading or unhealthy work, or "
        "crowded and unsanitary housing, that no one would accept freely.",
    ),
    (
        11,
        "Excessive overtime",
        "Workers must work hours far beyond legal limits, or be on call day "
        "and night, under threat of a penalty.",
    ),
]

EVIDENCE_SOURCE_CODES = [
    "ngo_report",
    "media",
    "academic",
    "dol_research",
    "state_department",
    "other_agency",
    "foreign_government",
    "trade_data",
    "commercial_database",
    "corporate_records",
    "social_audit",
    "interview",
    "site_visit",
    "importer_response",
    "remote_sensing",
    "court_record",
    "allegation",
    "other",
]


def forwards(apps, schema_editor):
    indicator = apps.get_model("reference", "IloIndicator")
    for number, name, explanation in ILO_INDICATORS:
        indicator.objects.update_or_create(
            number=number, defaults={"name": name, "explanation": explanation}
        )
    kind = apps.get_model("reference", "EvidenceSourceKind")
    for code in EVIDENCE_SOURCE_CODES:
        kind.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
