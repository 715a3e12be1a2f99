#!/usr/bin/env python
"""KPI benchmark: the dashboard's database aggregation beside the same figures computed by a
Python loop over every row (the baseline), on made-up cases with a transition history.

    .venv/bin/python benchmarks/kpis.py [--cases 20000] [--runs 7] [--database-url URL] [--reseed]

What it does, in order:

1. Creates the benchmark database if missing (default ``withhold_performance_bench`` on
   127.0.0.1) and runs ``withhold migrate`` against it.
2. Seeds N made-up cases (``is_demo=True``, titles start with "BENCH") opened between October
   2024 and November 2026, each with its opening and zero to three status changes (suspend,
   reactivate, close), and N/10 outreach activities, with ``bulk_create``. Skipped when the
   database already holds N bench cases; ``--reseed`` deletes them and seeds again. It refuses
   to touch a database holding any case that is not demo data.
3. Computes, for the month 2026-11 as a supervisor sees it, the figures of the indicators this
   data feeds (outreach; active, suspended and closed investigations): the month, the fiscal
   year to date, the prior-year baseline and the monthly trend — once with
   ``selectors.kpi_dashboard`` (database aggregation) and once with a Python loop over every
   transition and outreach row fetched from the database. Checks that both give the same
   figures (exit status 1 if not), then times each ``--runs`` times.
4. Prints the median and the slowest run of each, in ms, and the dashboard's query count.

All traffic goes to 127.0.0.1. Numbers depend on the machine; see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import date, datetime, timedelta
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/withhold_performance_bench"
MONTH = date(2026, 11, 1)
INDICATORS = ["outreach", "active_investigations", "investigations_suspended",
              "investigations_closed"]  # fmt: skip


def database_ensure(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"Creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def seed(n_cases: int, *, reseed: bool, rng_seed: int = 1307) -> None:
    from django.db import transaction
    from django.utils import timezone

    from withhold.cases.models import Case, CaseTransition
    from withhold.performance.models import OutreachActivity
    from withhold.reference.models import Commodity

    if Case.objects.filter(is_demo=False).exists():
        raise SystemExit("The database holds real cases: use an empty benchmark database.")
    bench = Case.objects.filter(title__startswith="BENCH")
    if bench.count() == n_cases and not reseed:
        print(f"Using the {n_cases} bench cases already seeded.")
        return
    rng = random.Random(rng_seed)
    with transaction.atomic():
        CaseTransition.objects.filter(case__in=bench).delete()
        bench.delete()
        OutreachActivity.objects.filter(title__startswith="BENCH").delete()
        commodity, _ = Commodity.objects.get_or_create(
            name="BENCH cotton", defaults={"hs_code": "5201"}
        )
        start = date(2024, 10, 1)
        span = (date(2026, 11, 30) - start).days
        cases, histories = [], []
        for i in range(n_cases):
            opened = start + timedelta(days=rng.randrange(span))
            moment = datetime(
                opened.year, opened.month, opened.day, 9, tzinfo=timezone.get_current_timezone()
            )
            steps = [(moment, "opened", "active")]
            status = "active"
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                moment += timedelta(days=rng.randrange(1, 200), minutes=rng.randrange(1440))
                if moment.date() > date(2026, 11, 30):
                    break
                status = {"active": rng.choice(["suspended", "closed"]),
                          "suspended": rng.choice(["active", "closed"]),
                          "closed": "active"}[status]  # fmt: skip
                steps.append((moment, "status", status))
            reasons = {"suspended": {"suspension_reason": "lack_of_personnel"},
                       "closed": {"closing_outcome": "no_violation"}}.get(status, {})  # fmt: skip
            cases.append(
                Case(number=f"FL-B{i:06d}", title=f"BENCH case {i}", allegation_summary="BENCH",
                     commodity=commodity, source_country="CN", referral_source="ngo",
                     received_on=opened, opened_on=opened, status=status, is_demo=True,
                     law_enforcement_sensitive=rng.random() < 0.05, **reasons)
            )  # fmt: skip
            histories.append(steps)
        Case.objects.bulk_create(cases, batch_size=2000)
        transitions = []
        for case, steps in zip(cases, histories, strict=True):
            previous = ""
            for at, kind, to_status in steps:
                transitions.append(
                    CaseTransition(case=case, kind=kind, to_phase="initiation",
                                   from_status=previous, to_status=to_status, at=at)
                )  # fmt: skip
                previous = to_status
        CaseTransition.objects.bulk_create(transitions, batch_size=5000)
        OutreachActivity.objects.bulk_create(
            [OutreachActivity(held_on=start + timedelta(days=rng.randrange(span)),
                              title=f"BENCH outreach {i}", kind="meeting", audience="industry",
                              country="US", participants=10, is_demo=True)
             for i in range(max(n_cases // 10, 1))],
            batch_size=2000,
        )  # fmt: skip
    print(f"Seeded {n_cases} cases, {len(transitions)} transitions, {n_cases // 10} outreach.")


def python_loop_figures(user) -> dict[str, tuple]:
    """The baseline: the same figures from every row, fetched and counted in Python."""
    from django.utils import timezone

    from withhold.cases.models import CaseTransition
    from withhold.cases.selectors import case_visible_queryset
    from withhold.performance import fiscal
    from withhold.performance.models import OutreachActivity

    fy = fiscal.fiscal_year(MONTH)
    months = [m for m in fiscal.fiscal_months(fy) if m <= MONTH]
    prior = fiscal.fiscal_year_period(fy - 1)
    fytd = fiscal.fytd_period(MONTH)
    visible = set(case_visible_queryset(user).values_list("pk", flat=True))
    history: dict[int, list] = {}
    for case_id, at, kind, to_status in CaseTransition.objects.order_by("at", "id").values_list(
        "case_id", "at", "kind", "to_status"
    ):
        if case_id in visible:
            history.setdefault(case_id, []).append((timezone.localtime(at).date(), kind, to_status))

    def active_at(day: date) -> int:
        n = 0
        for steps in history.values():
            status = None
            for on, _kind, to_status in steps:
                if on > day:
                    break
                status = to_status
            n += status == "active"
        return n

    def cases_to(status: str, period: fiscal.Period) -> int:
        return sum(
            any(k == "status" and s == status and on in period for on, k, s in steps)
            for steps in history.values()
        )

    held = list(OutreachActivity.objects.values_list("held_on", flat=True))

    def outreach_in(period: fiscal.Period) -> int:
        return sum(day in period for day in held)

    def flow(count) -> tuple:
        trend = [count(fiscal.month_period(m)) for m in months]
        return trend[-1], count(fytd), count(prior), trend

    active_trend = [active_at(fiscal.month_end(m)) for m in months]
    return {
        "outreach": flow(outreach_in),
        "active_investigations": (
            active_trend[-1],
            active_trend[-1],
            active_at(prior.end),
            active_trend,
        ),
        "investigations_suspended": flow(lambda p: cases_to("suspended", p)),
        "investigations_closed": flow(lambda p: cases_to("closed", p)),
    }


def aggregated_figures(user) -> dict[str, tuple]:
    from withhold.performance.selectors import kpi_dashboard

    board = kpi_dashboard(user=user, month=MONTH)
    return {
        r.indicator: (r.month_value, r.fytd_value, r.baseline, [v for _m, v in r.trend])
        for r in board.rows
        if r.indicator in INDICATORS
    }


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000, help="cases to seed (20000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (7)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--reseed", action="store_true", help="delete the bench rows and seed again"
    )
    args = parser.parse_args(argv)
    env = {**os.environ, "DATABASE_URL": args.database_url,
           "DJANGO_SETTINGS_MODULE": "withhold.settings.local"}  # fmt: skip
    database_ensure(args.database_url)
    withhold = str(Path(sys.executable).parent / "withhold")
    subprocess.run([withhold, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from withhold.accounts.models import User
    from withhold.accounts.roles import Role

    seed(args.cases, reseed=args.reseed)
    user, _ = User.objects.get_or_create(username="kpi-bench", defaults={"is_demo": True})
    user.groups.add(Group.objects.get(name=Role.SUPERVISOR.label))
    user = User.objects.get(pk=user.pk)
    user.get_all_permissions()

    fast, slow = aggregated_figures(user), python_loop_figures(user)
    if fast != slow:
        for key in INDICATORS:
            if fast[key] != slow[key]:
                print(f"MISMATCH {key}: aggregation {fast[key]} vs loop {slow[key]}")
        return 1
    with CaptureQueriesContext(connection) as queries:
        aggregated_figures(user)
    agg = timed(lambda: aggregated_figures(user), args.runs)
    loop = timed(lambda: python_loop_figures(user), args.runs)
    print(f"\n{args.cases} cases; month {MONTH:%Y-%m}; both give the same figures:")
    for key in INDICATORS:
        month_value, fytd, baseline, _trend = fast[key]
        print(f"  {key:26} month {month_value:>6}  FYTD {fytd:>6}  baseline {baseline:>6}")
    print(f"\n{'':34}{'median ms':>10}{'max ms':>10}")
    print(
        f"{'dashboard (database aggregation)':34}{statistics.median(agg):>10.1f}{max(agg):>10.1f}"
    )
    print(
        f"{'baseline (Python loop over rows)':34}{statistics.median(loop):>10.1f}{max(loop):>10.1f}"
    )
    print(f"\nDashboard queries (all eight indicators): {len(queries)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
