"""Make every case's evidence sources the sources of its evidence items.

Until now a case without evidence items could have evidence sources ticked by hand (the case form,
the API, the case opened from an allegation, the legacy import), and such a case could enter
investigation with no evidence at all. From now on the sources are derived from the items only
(``cases.services.case_evidence_sources_derive``). This migration derives them once for the cases
already on file: a hand-set source with no item behind it is removed, and each case whose sources
change gets an audit entry saying so (old and new values), with no actor, so the change is on the
case's history. A case left in investigation or later without a source shows up on the
data-quality report as missing its evidence sources; add its evidence to restore them.

Reversing it does nothing: the hand-set values are kept in the audit entries, not restored.
"""

from django.db import migrations

REASON = (
    "Evidence sources are derived from the case's evidence items; sources set by hand with no "
    "item behind them were removed when the rule took effect."
)


def derive(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    EvidenceItem = apps.get_model("evidence", "EvidenceItem")
    EvidenceSourceKind = apps.get_model("reference", "EvidenceSourceKind")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    derived: dict[int, set[int]] = {}
    for case_id, source_id in EvidenceItem.objects.values_list("case_id", "source_id"):
        derived.setdefault(case_id, set()).add(source_id)
    codes = dict(EvidenceSourceKind.objects.values_list("pk", "code"))
    entries = []
    for case in Case.objects.prefetch_related("evidence_sources").order_by("pk"):
        stored = {kind.pk for kind in case.evidence_sources.all()}
        wanted = derived.get(case.pk, set())
        if stored == wanted:
            continue
        case.evidence_sources.set(sorted(wanted))
        entries.append(
            AuditEntry(
                actor=None,
                action="CASE_EVIDENCE_SOURCES_SET",
                object_type="cases.case",
                object_id=str(case.pk),
                object_repr=f"{case.number} {case.title}"[:200],
                case_id=case.pk,
                field="evidence_sources",
                old_value="; ".join(sorted(codes[pk] for pk in stored)),
                new_value="; ".join(sorted(codes[pk] for pk in wanted)),
                data={"reason": REASON, "removed": sorted(codes[pk] for pk in stored - wanted)},
            )
        )
    AuditEntry.objects.bulk_create(entries)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0003_demo_flags"),
        ("cases", "0008_case_evidence_sources_derived_help"),
        ("audit", "0005_evidence_audit_actions"),
    ]

    operations = [migrations.RunPython(derive, migrations.RunPython.noop)]
