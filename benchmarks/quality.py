#!/usr/bin/env python
"""Data-quality report benchmark: ``selectors.quality_report`` (one aggregate query for
completeness, database filters and streamed text for consistency), and its two parts, beside a
baseline measured in the same run — the same completeness figures computed the obvious way, one
case at a time in Python with its many-to-many rows prefetched (the figures are checked equal).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/withhold_quality_bench \\
        .venv/bin/python benchmarks/quality.py [--cases 5000] [--repeat 3] [--reseed]

Migrates the database, seeds N made-up cases (``is_demo=True``, titles start with "BENCH"), each
with two timeline updates, some with entities and evidence sources; refuses a database holding a
case that is not demo data. Prints the median of ``--repeat`` runs of each, in seconds.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withhold.settings.local")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)

    from withhold.cases.models import Case, CaseEntity, CaseUpdate
    from withhold.entities.models import Entity
    from withhold.quality.selectors import (
        REPORT_STATUSES,
        completeness_counts,
        consistency_findings,
        field_specs,
        quality_report,
    )
    from withhold.reference.models import Commodity, EvidenceSourceKind

    if Case.objects.filter(is_demo=False).exists():
        print("Refusing: this database holds cases that are not demo data.", file=sys.stderr)
        return 2
    if args.reseed or Case.objects.filter(title__startswith="BENCH").count() != args.cases:
        Case.objects.filter(title__startswith="BENCH").delete()
        Entity.objects.filter(name__startswith="BENCH").delete()
        rng = random.Random(1307)
        commodity = Commodity.objects.first()
        entities = Entity.objects.bulk_create(
            Entity(name=f"BENCH Textiles Co. {i}", country="CN", is_demo=True) for i in range(500)
        )
        phases = ["initiation", "investigation", "legal_review", "implementation"]
        statuses = ["active"] * 6 + ["suspended", "inactive"]
        cases = []
        for i in range(args.cases):
            status = rng.choice(statuses)
            cases.append(
                Case(
                    number=f"FL-1999-{i:05d}",
                    title=f"BENCH case {i}",
                    allegation_summary="Workers report withheld wages and confiscated passports.",
                    commodity=commodity,
                    source_country="CN",
                    referral_source="ngo",
                    received_on=date(2020, 1, 1),
                    opened_on=date(2020, 1, 2),
                    phase=rng.choice(phases),
                    status=status,
                    suspension_reason="lack_of_personnel" if status == "suspended" else "",
                    inactive_reason="other" if status == "inactive" else "",
                    is_demo=True,
                )
            )
        cases = Case.objects.bulk_create(cases, batch_size=1000)
        kinds = list(EvidenceSourceKind.objects.all())
        through = Case.evidence_sources.through
        through.objects.bulk_create(
            (through(case_id=c.pk, evidencesourcekind_id=rng.choice(kinds).pk) for c in cases[::2]),
            batch_size=2000,
        )
        CaseEntity.objects.bulk_create(
            (
                CaseEntity(case=c, entity=rng.choice(entities), role="manufacturer")
                for c in cases[::3]
            ),
            batch_size=2000,
        )
        texts = [
            "Interviews with former workers continue this month.",
            "Sent to Chief Counsel for a legal sufficiency review.",
            "BENCH Textiles Co. 7",
        ]
        CaseUpdate.objects.bulk_create(
            (
                CaseUpdate(
                    case=c, occurred_on=date(2020, 2, 1) + timedelta(days=k), text=rng.choice(texts)
                )
                for c in cases
                for k in range(2)
            ),
            batch_size=2000,
        )

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after the bulk insert, as autovacuum would
    cases = Case.objects.filter(title__startswith="BENCH")
    specs = [s for s in field_specs() if s.missing is not None and s.expected is not None]

    def baseline():
        """Completeness only, per case in Python: what the report does in one query."""
        from withhold.cases import phases as ph

        counts = {}
        rows = cases.filter(status__in=["active", "suspended", "inactive"]).prefetch_related(
            "evidence_sources", "ilo_indicators", "case_entities"
        )
        for case in rows:
            for spec in specs:
                name = spec.name
                if name in ("evidence_sources", "ilo_indicators"):
                    empty = not list(getattr(case, name).all())
                elif name == "entities":
                    empty = not list(case.case_entities.all())
                else:
                    empty = getattr(case, name) in ("", None)
                required = spec.required
                if required.startswith("from "):
                    label = required[5:]
                    start = {"Investigation": 1, "Legal review": 2, "Implementation": 3}.get(
                        label, 0
                    )
                    needed = ph.phase_index(case.phase) >= start
                elif required.startswith("exactly when"):
                    needed = required.endswith(case.status.capitalize())
                else:
                    needed = True
                if empty and needed:
                    counts[(name, case.status)] = counts.get((name, case.status), 0) + 1
        return counts

    def timed(fn):
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = fn()
            runs.append(time.perf_counter() - start)
        return statistics.median(runs), result

    in_scope = cases.filter(status__in=REPORT_STATUSES)
    report_s, report = timed(lambda: quality_report(cases=cases))
    aggregate_s, _ = timed(lambda: completeness_counts(cases=in_scope, specs=field_specs()))
    rules_s, _ = timed(lambda: consistency_findings(in_scope))
    baseline_s, counts = timed(baseline)
    for (name, status), n in counts.items():
        row = next(f for f in report.fields if f.spec.name == name)
        assert row.missing[status] == n, (name, status, row.missing[status], n)
    print(
        f"cases: {report.case_count} (of {cases.count()} seeded), findings: {len(report.findings)}"
    )
    print(f"quality_report (completeness + all consistency rules): {report_s:.3f} s")
    print(f"  of which completeness (one aggregate query):         {aggregate_s:.3f} s")
    print(f"  of which consistency rules (filters + streamed text): {rules_s:.3f} s")
    print(f"baseline (completeness only, per case in Python):      {baseline_s:.3f} s")
    print(report.summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
