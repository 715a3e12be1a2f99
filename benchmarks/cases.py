#!/usr/bin/env python
"""Case benchmark: the case list, case page and CSV export over HTTP against 100,000 cases, each
beside the bare SQL the page runs (the database floor), plus query-count checks.

    .venv/bin/python benchmarks/cases.py [--cases 100000] [--requests 200] [--database-url URL]
        [--reseed] [--export-requests 20] [--warmup 5] [--seed 1307] [--skip-migrate]
        [--no-quickack]

What it does, in order:

1. Creates the benchmark database if missing (default ``withhold_bench`` on 127.0.0.1), runs
   ``withhold migrate`` and ``withhold load-reference`` against it as subprocesses.
2. Seeds N made-up cases (``is_demo=True``, titles start with "BENCH") with shared entities,
   phase/status history, timeline updates, tasks, documents, evidence items (one per evidence
   source: the case's sources are derived from its items), ILO indicators and audit rows,
   written with PostgreSQL ``COPY``. Skipped when the database already holds exactly
   that seed (recorded in the ``benchmark_seed`` table); ``--reseed`` truncates and seeds again
   (``TRUNCATE ... CASCADE``, so tables pointing at cases or entities are emptied too; the
   reference data is then loaded again). It refuses to touch a database holding any case that
   is not demo data.
3. Creates the ``bench`` user (case analyst + supervisor: sees every case, including
   law-enforcement-sensitive ones).
4. Checks, in process with Django's test ``Client`` and ``CaptureQueriesContext``, that the
   number of queries of the case list does not grow with the rows shown and that of the case
   page does not grow with the entities linked. Exit status 1 if it does.
5. Starts ``withhold serve 127.0.0.1:<free port>`` (DEBUG off), signs in over HTTP and times each
   request kind with one keep-alive connection after a few warm-up requests.
6. Times the bare SQL of each request kind over psycopg: the exact statements (and parameters)
   Django runs for that page's rows, captured with ``connection.execute_wrapper`` while running
   the same selectors the view calls (``selectors.case_list`` + ``IdFirstPaginator``;
   ``selectors.case_detail_for_user`` + the audit entries; the export queryset). Permission and
   session look-ups are not part of the floor.
7. Prints a table (n, p50, p95, max in ms for HTTP and for SQL, and their ratio) and the query
   counts. The server is stopped at the end, even on error.

All traffic goes to 127.0.0.1. Numbers depend on the machine; see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import http.client
import json
import math
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/withhold_bench"
BENCH_USERNAME = "bench"
SEED_VERSION = 2  # 2: evidence items behind every evidence source, random case numbers, aliases
BATCH = 5_000
ENTITY_COUNT = 20_000
SEARCH_WORD = "golden"  # one of the 16 first words of made-up company names, so ~1/16 of titles

# (phase, status, reason, weight): GAO-21-106 shape, as in the demo data set: about 3/4 of
# active cases in initiation, 1/7 in investigation, under 1/10 in legal review.
PLAN = [
    ("initiation", "active", "", 33),
    ("investigation", "active", "", 6),
    ("legal_review", "active", "", 4),
    ("implementation", "active", "", 1),
    ("initiation", "suspended", "lack_of_personnel", 7),
    ("investigation", "suspended", "lack_of_personnel", 2),
    ("initiation", "suspended", "lack_of_information", 2),
    ("investigation", "suspended", "awaiting_foreign_government", 1),
    ("initiation", "inactive", "insufficient_evidence", 3),
    ("investigation", "inactive", "no_us_nexus", 2),
    ("implementation", "closed", "order_issued", 1),
    ("investigation", "closed", "penalty", 1),
    ("initiation", "closed", "no_violation", 1),
]
PHASES = ["initiation", "investigation", "legal_review", "implementation"]
REASON_FIELD = {
    "suspended": "suspension_reason",
    "inactive": "inactive_reason",
    "closed": "closing_outcome",
}
COUNTRIES = [  # (country, weight)
    ("CN", 30),
    ("MY", 8),
    ("TH", 7),
    ("IN", 7),
    ("BR", 6),
    ("VN", 6),
    ("BD", 5),
    ("TM", 4),
    ("UZ", 4),
    ("CI", 4),
    ("GH", 4),
    ("MW", 3),
    ("TW", 3),
    ("DO", 3),
    ("PK", 3),
    ("ID", 2),
    ("KP", 1),
]
REFERRALS = [
    ("e_allegation", 30),
    ("ngo", 25),
    ("self_initiated", 10),
    ("other_agency", 8),
    ("dol_research", 5),
    ("media", 8),
    ("anonymous_tip", 5),
    ("trade_industry", 3),
    ("worker", 3),
    ("court_case", 1),
    ("foreign_government", 1),
    ("other", 1),
]
WORDS_A = [
    "Golden",
    "Harbor",
    "Northern",
    "Sunrise",
    "Evergreen",
    "Bright",
    "Eastern",
    "Summit",
    "Riverside",
    "Orchid",
    "Silver",
    "Pioneer",
    "Lotus",
    "Coral",
    "Maple",
    "Jade",
]
WORDS_B = [
    "Textile",
    "Garment",
    "Agro",
    "Fishing",
    "Glove",
    "Metals",
    "Mining",
    "Trading",
    "Apparel",
    "Seafood",
    "Cotton",
    "Electronics",
    "Brick",
    "Sugar",
    "Timber",
    "Solar",
]
LEGAL = ["Co., Ltd.", "Sdn. Bhd.", "LLC", "Company Limited", "Industries", "Group"]
ALIAS_LEGAL = ["Co Ltd", "Sdn Bhd", "L.L.C.", "Co. Limited", "Industry", "Holdings"]
ENTITY_ROLES = ["supplier", "processor", "exporter", "trader", "importer", "raw_material_producer"]
SUMMARIES = [
    "Workers recruited from distant provinces report that the factory holds their identity "
    "documents and deducts recruitment debts from their wages.",
    "An NGO report describes workers locked in dormitories and required to work more than 80 "
    "hours a week during peak season.",
    "Migrant workers describe recruitment fees of several months' wages and threats of "
    "deportation if they leave before the debt is paid.",
    "Crew members describe being kept at sea for over a year, with wages withheld and "
    "passports held by the captain.",
    "Former workers report transfers under a state labor programme, with restricted movement "
    "and political surveillance in the workplace.",
]
UPDATE_TEXTS = [
    "Initial review of the allegation's credibility completed (benchmark entry).",
    "Requested shipment data for the importers named in the allegation (benchmark entry).",
    "Spoke with the NGO that filed the allegation; more worker interviews expected "
    "(benchmark entry).",
    "Reviewed satellite imagery of the facility (benchmark entry).",
]
BENCH_PDF = b"%PDF-1.4\n% Made-up benchmark document: not a real report.\n%%EOF\n"
LANGUAGES = [  # (language, translation status, weight)
    ("English", "not_needed", 70),
    ("Mandarin", "done", 15),
    ("Malay", "requested", 5),
    ("Thai", "needed", 5),
    ("Spanish", "done", 5),
]
EVIDENCE_CODES = [
    "ngo_report",
    "media",
    "academic",
    "dol_research",
    "state_department",
    "other_agency",
    "trade_data",
    "commercial_database",
    "corporate_records",
    "social_audit",
    "interview",
    "remote_sensing",
    "allegation",
]


# --------------------------------------------------------------------------------------------
# Database and subprocess plumbing
# --------------------------------------------------------------------------------------------


def database_ensure(url: str) -> None:
    """Create the database named in ``url`` if it does not exist (via the ``postgres`` db)."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"No database name in {url}")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"Creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def withhold_bin() -> str:
    candidate = Path(sys.executable).parent / "withhold"
    return str(candidate) if candidate.exists() else "withhold"


def run_withhold(args: list[str], env: dict[str, str]) -> None:
    print(f"$ withhold {' '.join(args)}", flush=True)
    subprocess.run([withhold_bin(), *args], env=env, cwd=ROOT, check=True, timeout=900)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------------


def weighted(pairs):
    values = [p[:-1] if len(p) > 2 else p[0] for p in pairs]
    weights = [p[-1] for p in pairs]
    return values, weights


class Copier:
    """COPY rows into a model's table, filling every column the caller leaves out with the
    field's default (or now() for auto timestamps), as Django would."""

    def __init__(self, model, now: datetime, *, with_id: bool = True):
        from django.db import models

        self.table = model._meta.db_table
        self.spec = []
        for f in model._meta.concrete_fields:
            if f.primary_key and not with_id:
                continue  # the identity column numbers the rows
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = now
            else:
                default = f.get_default()
            if isinstance(f, models.JSONField):
                default = json.dumps(default)
            self.spec.append((f.column, f.attname, default))
        self.columns = ", ".join(f'"{c}"' for c, _, _ in self.spec)

    def copy(self, cur, rows: Iterable[dict]) -> int:
        n = 0
        with cur.copy(f'COPY "{self.table}" ({self.columns}) FROM STDIN') as cp:
            for row in rows:
                cp.write_row(tuple(row.get(a, d) for _, a, d in self.spec))
                n += 1
        return n


def bench_people() -> dict[str, list]:
    """Made-up staff that the seeded cases are assigned to (no usable password)."""
    from django.contrib.auth.models import Group

    from withhold.accounts.models import User
    from withhold.accounts.roles import Role

    people: dict[str, list] = {}
    for key, role, count in (
        ("analysts", Role.CASE_ANALYST, 40),
        ("supervisors", Role.SUPERVISOR, 8),
        ("approvers", Role.APPROVING_OFFICIAL, 2),
        ("counsel", Role.CHIEF_COUNSEL, 2),
    ):
        group = Group.objects.get(name=Role(role).label)
        people[key] = []
        for i in range(1, count + 1):
            username = f"bench.{key.rstrip('s')}{i:02d}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": f"Bench {Role(role).label}",
                    "last_name": f"{i:02d} (made up)",
                    "email": f"{username}@bench.withhold.invalid",
                    "job_title": Role(role).label,
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.set([group])
            people[key].append(user.pk)
    return people


def bench_user_ensure(password: str):
    from django.contrib.auth.models import Group

    from withhold.accounts.models import User
    from withhold.accounts.roles import Role

    user, _ = User.objects.get_or_create(username=BENCH_USERNAME)
    user.first_name, user.last_name = "Benchmark", "Runner (made up)"
    user.email = "bench@bench.withhold.invalid"
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.set(
        [Group.objects.get(name=Role(r).label) for r in (Role.CASE_ANALYST, Role.SUPERVISOR)]
    )
    return User.objects.get(pk=user.pk)


SEED_TABLES = [
    "audit_auditentry",
    "evidence_evidenceitem_indicators",
    "evidence_evidenceitem",
    "cases_casedocument",
    "cases_task",
    "cases_caseupdate",
    "cases_casetransition",
    "cases_caseentity",
    "cases_case_evidence_sources",
    "cases_case_ilo_indicators",
    "cases_case",
    "entities_entity",
]


def seed_state(cur) -> dict | None:
    cur.execute(
        "CREATE TABLE IF NOT EXISTS benchmark_seed (name text PRIMARY KEY, cases integer NOT NULL,"
        " version integer NOT NULL, seconds double precision, seeded_at timestamptz NOT NULL)"
    )
    row = cur.execute(
        "SELECT cases, version, seconds, seeded_at FROM benchmark_seed WHERE name = 'cases'"
    ).fetchone()
    if row is None:
        return None
    return {"cases": row[0], "version": row[1], "seconds": row[2], "seeded_at": row[3]}


def seed(url: str, n_cases: int, *, reseed: bool, rng_seed: int) -> dict:
    """Seed ``n_cases`` made-up cases unless the database already holds exactly that seed."""
    import psycopg
    from django.conf import settings
    from django.utils import timezone
    from tqdm import tqdm

    from withhold.audit.models import AuditEntry
    from withhold.cases.models import (
        Case,
        CaseDocument,
        CaseEntity,
        CaseTransition,
        CaseUpdate,
        Task,
    )
    from withhold.entities.models import Entity
    from withhold.evidence.models import EvidenceItem
    from withhold.reference.models import Commodity, EvidenceSourceKind, IloIndicator

    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.cursor()
        state = seed_state(cur)
        actual = cur.execute("SELECT count(*) FROM cases_case").fetchone()[0]
        not_demo = cur.execute("SELECT count(*) FROM cases_case WHERE NOT is_demo").fetchone()[0]
        if (
            not reseed
            and state
            and state["cases"] == n_cases
            and state["version"] == SEED_VERSION
            and actual == n_cases
        ):
            print(
                f"Already seeded: {actual:,} cases (seeded {state['seeded_at']:%Y-%m-%d %H:%M} "
                f"in {state['seconds']:.1f} s); --reseed to seed again."
            )
            return {"seeded": False, **state}
        if not_demo:
            raise SystemExit(
                f"The database holds {not_demo} cases that are not demo data: refusing to "
                "truncate it. Point --database-url at a benchmark database."
            )
        people = bench_people()
        prefix = settings.WITHHOLD["CASE_NUMBER_PREFIX"]
        started = time.perf_counter()
        print(f"Seeding {n_cases:,} cases (truncating {', '.join(SEED_TABLES)})", flush=True)
        now = timezone.localtime()  # the agency's time zone, as the app dates things
        today = timezone.localdate(now)
        rng = random.Random(rng_seed)
        commodities = list(Commodity.objects.values_list("pk", "name", "hs_code"))
        if not commodities:
            raise SystemExit("No commodities: withhold load-reference did not run?")
        evidence = dict(EvidenceSourceKind.objects.values_list("code", "pk"))
        evidence_ids = [(c, evidence[c]) for c in EVIDENCE_CODES if c in evidence]
        ilo_ids = list(IloIndicator.objects.values_list("pk", "number"))
        copiers = {
            "entity": Copier(Entity, now),
            "case": Copier(Case, now),
            "case_entity": Copier(CaseEntity, now),
            "case_evidence": Copier(Case.evidence_sources.through, now, with_id=False),
            "case_ilo": Copier(Case.ilo_indicators.through, now, with_id=False),
            "evidence": Copier(EvidenceItem, now),
            "evidence_ilo": Copier(EvidenceItem.indicators.through, now, with_id=False),
            "transition": Copier(CaseTransition, now),
            "update": Copier(CaseUpdate, now),
            "task": Copier(Task, now),
            "document": Copier(CaseDocument, now),
            "audit": Copier(AuditEntry, now),
        }
        with conn.transaction():
            # The audit table refuses TRUNCATE unless the session allows it (audit migration
            # 0013). This database holds made-up cases only (checked above), so the benchmark
            # allows it for this transaction alone.
            cur.execute("SET LOCAL withhold.allow_audit_truncate = 'on'")
            cur.execute(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in SEED_TABLES) + " RESTART IDENTITY CASCADE"
            )
            cur.execute("DELETE FROM benchmark_seed")
            entities_by_country = seed_entities(cur, copiers["entity"], rng, now)
            ids = {
                "entity_link": 0,
                "transition": 0,
                "update": 0,
                "task": 0,
                "document": 0,
                "evidence": 0,
                "audit": 0,
            }
            # Opening dates first, sorted, so that ids and yearly numbers follow time.
            span = 6 * 365
            opened_dates = sorted(
                today - timedelta(days=int(span * (1 - math.sqrt(rng.random()))))
                for _ in range(n_cases)
            )
            plan_values, plan_weights = weighted(PLAN)
            country_values, country_weights = weighted(COUNTRIES)
            referral_values, referral_weights = weighted(REFERRALS)
            numbers: set[str] = set()
            bar = tqdm(total=n_cases, unit="case", desc="seed", smoothing=0.1)
            for start in range(0, n_cases, BATCH):
                tables: dict[str, list] = {k: [] for k in copiers if k != "entity"}
                for i in range(start, min(start + BATCH, n_cases)):
                    opened = opened_dates[i]
                    phase, status, reason = rng.choices(plan_values, plan_weights)[0]
                    seed_one_case(
                        tables,
                        ids,
                        case_id=i + 1,
                        number=case_number(rng, prefix, opened.year, numbers),
                        opened=opened,
                        phase=phase,
                        status=status,
                        reason=reason,
                        country=rng.choices(country_values, country_weights)[0],
                        referral=rng.choices(referral_values, referral_weights)[0],
                        rng=rng,
                        today=today,
                        now=now,
                        people=people,
                        commodities=commodities,
                        evidence_ids=evidence_ids,
                        ilo_ids=ilo_ids,
                        entities_by_country=entities_by_country,
                    )
                for key, rows in tables.items():
                    copiers[key].copy(cur, rows)
                bar.update(min(BATCH, n_cases - start))
            bar.close()
            for table in SEED_TABLES:
                has_id = cur.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                    "AND column_name = 'id'",
                    [table],
                ).fetchone()
                if has_id:
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)'
                    )
        copied = time.perf_counter() - started
        print(f"Copied in {copied:.1f} s; VACUUM ANALYZE ...", flush=True)
        for table in SEED_TABLES:
            cur.execute(f'VACUUM (ANALYZE) "{table}"')
        cur.execute("ANALYZE")  # the users and reference rows too
        seconds = time.perf_counter() - started
        cur.execute(
            "INSERT INTO benchmark_seed (name, cases, version, seconds, seeded_at) "
            "VALUES ('cases', %s, %s, %s, now())",
            [n_cases, SEED_VERSION, seconds],
        )
        counts = {t: cur.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in SEED_TABLES}
        print(f"Seeded in {seconds:.1f} s (COPY {copied:.1f} s + VACUUM ANALYZE):")
        for table, count in counts.items():
            print(f"  {table:32} {count:>10,}")
        return {"seeded": True, "cases": n_cases, "seconds": seconds, "counts": counts}


def case_number(rng: random.Random, prefix: str, year: int, taken: set[str]) -> str:
    """A case number as ``cases.services.case_number_next`` makes them (the year and six random
    characters of its alphabet), drawn from the seeded ``rng`` so a seed gives the same numbers."""
    from withhold.cases.services import CASE_NUMBER_ALPHABET, CASE_NUMBER_RANDOM_LENGTH

    while True:
        tail = "".join(rng.choices(CASE_NUMBER_ALPHABET, k=CASE_NUMBER_RANDOM_LENGTH))
        number = f"{prefix}-{year}-{tail}"
        if number not in taken:
            taken.add(number)
            return number


def seed_entities(cur, copier: Copier, rng: random.Random, now: datetime) -> dict[str, list]:
    """ENTITY_COUNT made-up companies, spread over the case countries, plus U.S. importers.
    One in five has an alias (a former or differently spelt name, legal form written another
    way), so the search key that case search reads holds aliases as it does in real data."""
    from withhold.entities.models import entity_search_key

    country_values, country_weights = weighted(COUNTRIES)
    by_country: dict[str, list] = {}
    rows = []
    for i in range(1, ENTITY_COUNT + 1):
        country = "US" if i % 10 == 0 else rng.choices(country_values, country_weights)[0]
        word_b = rng.choice(WORDS_B)
        name = f"{rng.choice(WORDS_A)} {word_b} {rng.choice(LEGAL)} (bench {i})"
        aliases = []
        if rng.random() < 0.2:
            aliases.append(f"{rng.choice(WORDS_A)} {word_b} {rng.choice(ALIAS_LEGAL)} (bench {i})")
        rows.append(
            {
                "id": i,
                "kind": "company",
                "name": name,
                "aliases": json.dumps(aliases),
                "search_key": entity_search_key(name, aliases),
                "country": country,
                "notes": "Made-up entity from the benchmark data set.",
                "is_demo": True,
            }
        )
        by_country.setdefault(country, []).append((i, name))
    copier.copy(cur, rows)
    return by_country


def pick_skewed(rng: random.Random, items: list):
    """Some entities appear in many cases: index drawn with density growing toward 0."""
    return items[int(len(items) * rng.random() ** 2)]


def at_day(day: date, hour: int, now: datetime) -> datetime:
    when = datetime.combine(day, dtime(hour, rng_minute(day, hour)), tzinfo=now.tzinfo)
    return min(when, now)


def rng_minute(day: date, hour: int) -> int:
    return (day.toordinal() * 7 + hour * 13) % 60


def seed_one_case(
    tables: dict,
    ids: dict,
    *,
    case_id: int,
    number: str,
    opened: date,
    phase: str,
    status: str,
    reason: str,
    country: str,
    referral: str,
    rng: random.Random,
    today: date,
    now: datetime,
    people: dict,
    commodities: list,
    evidence_ids: list,
    ilo_ids: list,
    entities_by_country: dict,
) -> None:
    """Append one valid case and its related rows to ``tables`` (table key -> list of dicts)."""
    target = PHASES.index(phase)
    commodity_id, commodity_name, hs_code = rng.choice(commodities)
    analyst = rng.choice(people["analysts"])
    supervisor = rng.choice(people["supervisors"])
    staffed = target > 0 or rng.random() < 0.6
    received = opened - timedelta(days=rng.randrange(0, 30))
    local = entities_by_country.get(country) or entities_by_country["CN"]
    n_links = rng.choices([1, 2, 3], [50, 30, 20])[0]
    chosen: list[tuple[int, str]] = []
    while len(chosen) < n_links:
        pool = entities_by_country["US"] if len(chosen) == 2 else local
        entity = pick_skewed(rng, pool)
        if entity not in chosen:
            chosen.append(entity)
    first_role = "manufacturer" if target >= 2 or rng.random() < 0.6 else "supplier"
    roles = [first_role, rng.choice(["exporter", "processor", "trader", "supplier"]), "importer"]
    manufacturer = chosen[0][1].split(" (bench")[0]
    title = f"BENCH · {commodity_name} from {manufacturer}"[:200]
    notified = None
    if target >= 2 or (target == 1 and rng.random() < 0.5):
        notified = opened + timedelta(days=rng.randrange(1, 20))
        notified = min(notified, today)
    region = "CN-XJ" if country == "CN" and rng.random() < 0.35 else ""

    # Phase and status history: opened, one phase step at a time, then the status change.
    span = max(1, (today - opened).days)
    steps = target + (status != "active")
    day = 0
    history = []
    history.append(("opened", "", "initiation", "", "active", "", at_day(opened, 9, now)))
    evidence_until = today  # the last day evidence is added: before entering investigation
    for k in range(1, target + 1):
        day = min(span, day + rng.randrange(1, max(2, span // (steps + 1))))
        if k == 1:
            evidence_until = min(today, opened + timedelta(days=day))
        actor_phase = PHASES[k]
        history.append(
            (
                "phase",
                PHASES[k - 1],
                actor_phase,
                "active",
                "active",
                "",
                at_day(opened + timedelta(days=day), 10 + k, now),
            )
        )
    if status != "active":
        day = min(span, day + rng.randrange(1, max(2, span // (steps + 1))))
        history.append(
            (
                "status",
                phase,
                phase,
                "active",
                status,
                reason,
                at_day(opened + timedelta(days=day), 15, now),
            )
        )
    last_at = history[-1][6]
    case_sensitive = rng.random() < 0.15
    case = {
        "id": case_id,
        "created_at": history[0][6],
        "updated_at": last_at,
        "number": number,
        "title": title,
        "allegation_summary": rng.choice(SUMMARIES) + " (Made-up benchmark case.)",
        "commodity_id": commodity_id,
        "hts_code": hs_code or "",
        "source_country": country,
        "source_region": region,
        "referral_source": referral,
        "received_on": received,
        "opened_on": opened,
        "assigned_analyst_id": analyst if staffed else None,
        "supervisor_id": supervisor if staffed else None,
        "phase": phase,
        "status": status,
        "suspension_reason": reason if status == "suspended" else "",
        "inactive_reason": reason if status == "inactive" else "",
        "closing_outcome": reason if status == "closed" else "",
        "investigative_challenges": "Supply chain opacity (made up)." if target else "",
        "hsi_notified": notified is not None,
        "hsi_notified_on": notified,
        "hsi_case_reference": f"HSI-BENCH-{case_id:06d}" if notified and rng.random() < 0.5 else "",
        "caatsa": country == "KP",
        "law_enforcement_sensitive": case_sensitive,
        "priority": rng.choices(["high", "medium", "low"], [25, 50, 25])[0],
        "estimated_annual_import_value": (
            Decimal(rng.randrange(200_000, 90_000_000, 1000))
            if target >= 2 or rng.random() < 0.4
            else None
        ),
        "is_demo": True,
        "created_by_id": analyst,
    }
    tables["case"].append(case)
    repr_ = f"{number} {title}"[:200]
    for (entity_id, _), role in zip(chosen, roles, strict=False):
        ids["entity_link"] += 1
        tables["case_entity"].append(
            {
                "id": ids["entity_link"],
                "case_id": case_id,
                "entity_id": entity_id,
                "role": role,
                "added_at": history[0][6],
                "added_by_id": analyst,
            }
        )
    sources = rng.sample(evidence_ids, rng.randint(1, 3)) if target or rng.random() < 0.8 else []
    n_ilo = rng.randint(1, 4) if target >= 2 else (rng.randint(1, 2) if rng.random() < 0.2 else 0)
    indicators = rng.sample(ilo_ids, n_ilo if sources else 0)
    for indicator_id, _ in indicators:
        tables["case_ilo"].append({"case_id": case_id, "iloindicator_id": indicator_id})
    # Evidence added before the case entered investigation (it needs a source to enter it).
    seed_evidence(
        tables,
        ids,
        case_id=case_id,
        case_repr=f"{number} {title}"[:200],
        sources=sources,
        indicators=indicators,
        opened=opened,
        received=received,
        until=evidence_until,
        sensitive=case_sensitive,
        analyst=analyst,
        rng=rng,
        now=now,
    )

    for kind, from_phase, to_phase, from_status, to_status, code, at in history:
        ids["transition"] += 1
        if kind == "phase" and to_phase == "implementation":
            actor = rng.choice(people["approvers"])
        elif kind == "status":
            actor = supervisor
        else:
            actor = analyst
        tables["transition"].append(
            {
                "id": ids["transition"],
                "case_id": case_id,
                "kind": kind,
                "from_phase": from_phase,
                "to_phase": to_phase,
                "from_status": from_status,
                "to_status": to_status,
                "reason_code": code,
                "reason": "Benchmark: status set by the benchmark data set." if code else "",
                "actor_id": actor,
                "at": at,
            }
        )
        audit = {
            "at": at,
            "actor_id": actor,
            "object_type": "cases.case",
            "object_id": str(case_id),
            "object_repr": repr_,
            "case_id": case_id,
        }
        if kind == "opened":
            entries = [
                {
                    **audit,
                    "action": "CASE_CREATED",
                    "data": json.dumps({"number": number, "title": title, "benchmark": True}),
                }
            ]
        elif kind == "phase":
            entries = [
                {
                    **audit,
                    "action": "CASE_PHASE_CHANGED",
                    "field": "phase",
                    "old_value": from_phase,
                    "new_value": to_phase,
                }
            ]
        else:
            entries = [
                {
                    **audit,
                    "action": "CASE_STATUS_CHANGED",
                    "field": "status",
                    "old_value": from_status,
                    "new_value": to_status,
                },
                {
                    **audit,
                    "action": "CASE_STATUS_CHANGED",
                    "field": REASON_FIELD[to_status],
                    "old_value": "",
                    "new_value": code,
                },
            ]
        for entry in entries:
            ids["audit"] += 1
            tables["audit"].append({"id": ids["audit"], **entry})

    for _ in range(rng.choices([0, 1, 2, 3], [30, 40, 20, 10])[0]):
        ids["update"] += 1
        occurred = opened + timedelta(days=rng.randrange(0, span + 1))
        tables["update"].append(
            {
                "id": ids["update"],
                "case_id": case_id,
                "occurred_on": occurred,
                "text": rng.choice(UPDATE_TEXTS),
                "author_id": analyst,
                "created_at": at_day(occurred, 16, now),
            }
        )
    tasks = []
    if target >= 1:
        due = opened + timedelta(days=10)
        done = notified is not None
        tasks.append(("notify_hsi", "Notify HSI of the investigation", due, done))
    if rng.random() < 0.3:
        due = opened + timedelta(days=rng.randrange(7, 120))
        tasks.append(("general", "Review supplier list (benchmark)", due, due < today))
    for kind, task_title, due, done in tasks:
        ids["task"] += 1
        completed = at_day(min(due, today), 11, now) if done else None
        tables["task"].append(
            {
                "id": ids["task"],
                "created_at": history[0][6],
                "updated_at": completed or history[0][6],
                "case_id": case_id,
                "kind": kind,
                "title": task_title,
                "owner_id": analyst,
                "due_on": due,
                "state": "done" if done else "open",
                "completed_at": completed,
                "completed_by_id": analyst if done else None,
                "created_by_id": analyst,
            }
        )
    documents = []
    if target >= 2:
        documents.append(("allegation_report", "Allegation report (benchmark)", analyst))
    if target >= 3:
        documents.append(
            ("legal_opinion", "Legal-sufficiency opinion (benchmark)", people["counsel"][0])
        )
    for kind, doc_title, uploader in documents:
        ids["document"] += 1
        tables["document"].append(
            {
                "id": ids["document"],
                "case_id": case_id,
                "kind": kind,
                "title": doc_title,
                "file": f"cases/bench/{kind}-bench.pdf",
                "original_name": f"{kind}-bench.pdf",
                "content_type": "application/pdf",
                "size": len(BENCH_PDF),
                "sha256": BENCH_SHA256,
                "uploaded_by_id": uploader,
                "uploaded_at": history[min(2, len(history) - 1)][6],
            }
        )


BENCH_SHA256 = hashlib.sha256(BENCH_PDF).hexdigest()


@functools.cache
def evidence_vocabulary() -> dict:
    """The evidence demo data's grades and kinds by source, and the labels, as plain strings
    (looked up once: the seed writes about 170,000 items)."""
    from withhold.evidence.demo import GRADES, KIND_OF_SOURCE
    from withhold.evidence.models import EvidenceItem
    from withhold.reference.models import EvidenceSource

    return {
        "grades": GRADES,
        "kind_of_source": {code: str(kind) for code, kind in KIND_OF_SOURCE.items()},
        "kind_label": {str(k): str(k.label) for k in EvidenceItem.Kind},
        "source_label": {str(s): str(s.label).lower() for s in EvidenceSource},
    }


def seed_evidence(
    tables: dict,
    ids: dict,
    *,
    case_id: int,
    case_repr: str,
    sources: list[tuple[str, int]],
    indicators: list[tuple[int, int]],
    opened: date,
    received: date,
    until: date,
    sensitive: bool,
    analyst: int,
    rng: random.Random,
    now: datetime,
) -> None:
    """One made-up evidence item per source of the case, as ``evidence.services.evidence_add``
    writes it: the item, its ILO indicators (the case's, shared out over its items), the
    "evidence added" audit entry and the entry of the case's evidence sources re-derived from its
    items (``Case.evidence_sources`` rows: the set of the items' sources). No file is attached."""
    vocabulary = evidence_vocabulary()
    derived: list[str] = []
    span = max(0, (until - opened).days)
    for n, (code, source_id) in enumerate(sources):
        ids["evidence"] += 1
        item_id = ids["evidence"]
        day_added = opened + timedelta(days=rng.randint(0, span))  # no later than today
        added = at_day(day_added, 10, now)
        obtained = max(received, day_added - timedelta(days=rng.randrange(0, 15)))
        kind = vocabulary["kind_of_source"].get(code, "document")
        grades = vocabulary["grades"]
        reliability, credibility = grades[(case_id + n) % len(grades)]
        language, translation = rng.choices(LANGUAGES, [w for *_, w in LANGUAGES])[0][:2]
        description = (
            f"BENCH: made-up {vocabulary['source_label'][code]} for the benchmark data set; "
            "it describes no real company or person."
        )
        tagged = indicators[n :: len(sources)]
        tables["evidence"].append(
            {
                "id": item_id,
                "created_at": added,
                "updated_at": added,
                "case_id": case_id,
                "kind": kind,
                "source_id": source_id,
                "obtained_on": obtained,
                "description": description,
                "language": language,
                "translation_status": translation,
                "source_reliability": reliability,
                "information_credibility": credibility,
                "law_enforcement_sensitive": sensitive and rng.random() < 0.3,
                "added_by_id": analyst,
                "is_demo": True,
            }
        )
        for indicator_id, _ in tagged:
            tables["evidence_ilo"].append(
                {"evidenceitem_id": item_id, "iloindicator_id": indicator_id}
            )
        tables["case_evidence"].append({"case_id": case_id, "evidencesourcekind_id": source_id})
        label = vocabulary["kind_label"][kind]
        entries = [
            {
                "action": "EVIDENCE_ADDED",
                "object_type": "evidence.evidenceitem",
                "object_id": str(item_id),
                "object_repr": f"{label} {obtained:%Y-%m-%d}: {description[:50]}",
                "data": json.dumps(
                    {
                        "kind": kind,
                        "source": code,
                        "grade": f"{reliability}{credibility}",
                        "indicators": sorted(number for _, number in tagged),
                        "sha256": "",
                        "file": "",
                        "size": None,
                    }
                ),
            }
        ]
        before = "; ".join(sorted(derived))
        derived.append(code)
        entries.append(
            {
                "action": "CASE_EVIDENCE_SOURCES_SET",
                "object_type": "cases.case",
                "object_id": str(case_id),
                "object_repr": case_repr,
                "field": "evidence_sources",
                "old_value": before,
                "new_value": "; ".join(sorted(derived)),
            }
        )
        for entry in entries:
            ids["audit"] += 1
            tables["audit"].append(
                {"id": ids["audit"], "at": added, "actor_id": analyst, "case_id": case_id, **entry}
            )


def seed_check(*, rng_seed: int, sample: int = 100) -> list[str]:
    """Read a sample of seeded cases back through the app: each must meet every requirement of
    its phase, and its history must open the case and end in its phase and status."""
    from withhold.cases import phases, selectors
    from withhold.cases.models import Case

    ids = list(Case.objects.values_list("pk", flat=True))
    problems = []
    for pk in random.Random(rng_seed).sample(ids, min(sample, len(ids))):
        case = Case.objects.get(pk=pk)
        missing = phases.missing_for(selectors.case_facts(case), case.phase)
        history = list(case.transitions.order_by("at", "id"))
        if missing:
            problems.append(
                f"{case.number} ({case.phase}) lacks {phases.describe_missing(missing)}"
            )
        if not history or history[0].kind != "opened":
            problems.append(f"{case.number}: history does not start with 'opened'")
        elif (history[-1].to_phase, history[-1].to_status) != (case.phase, case.status):
            problems.append(f"{case.number}: history ends elsewhere than its phase and status")
    return problems


# --------------------------------------------------------------------------------------------
# Query-count checks (in process, Django test client)
# --------------------------------------------------------------------------------------------


def query_count_checks(user, *, one_entity: str, three_entities: str) -> tuple[bool, list[str]]:
    """The case list's query count must not depend on the rows shown, nor the case page's on
    the entities linked. Returns (ok, lines to print)."""
    from unittest import mock

    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from withhold.core.paginator import IdFirstPaginator

    client = Client()
    client.force_login(user)
    lines = []
    ok = True

    def measure(path: str, page_size: int | None = None) -> tuple[int, int, int]:
        patches = contextlib.ExitStack()
        with patches:
            if page_size is not None:
                sized = lambda objects, _per_page, *a, **kw: IdFirstPaginator(  # noqa: E731
                    objects, page_size, *a, **kw
                )
                patches.enter_context(mock.patch("withhold.cases.views.IdFirstPaginator", sized))
                patches.enter_context(
                    override_settings(
                        WITHHOLD={**settings.WITHHOLD, "CASE_LIST_PAGE_SIZE": page_size}
                    )
                )
            client.get(path)  # warm caches (content types, templates) outside the count
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} (in process) returned {response.status_code}")
        html = response.content.decode()
        rows = html.count('<th scope="row"')
        return len(ctx.captured_queries), rows, response.status_code

    list_counts = []
    for size in (5, 25, 100):
        queries, rows, _ = measure("/cases/?status=active&sort=-opened_on", page_size=size)
        list_counts.append((size, rows, queries))
    shown = {rows for _, rows, _ in list_counts}
    counts = {q for _, _, q in list_counts}
    for size, rows, queries in list_counts:
        lines.append(f"  case list, page size {size:>3}: {rows:>3} rows shown, {queries} queries")
    if len(shown) < 2:
        lines.append("  FAIL: could not vary the rows shown (is the page size still 25?)")
        ok = False
    if len(counts) != 1:
        lines.append("  FAIL: the case list's query count grows with the rows shown")
        ok = False

    detail = []
    for number, expected in ((one_entity, 1), (three_entities, 3)):
        queries, _, _ = measure(f"/cases/{number}/")
        detail.append(queries)
        lines.append(
            f"  case page {number} ({expected} entit{'y' if expected == 1 else 'ies'}):"
            f" {queries} queries"
        )
    if detail[0] != detail[1]:
        lines.append("  FAIL: the case page's query count grows with the entities linked")
        ok = False
    return ok, lines


# --------------------------------------------------------------------------------------------
# HTTP client
# --------------------------------------------------------------------------------------------


class Browser:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1 with a cookie jar.

    ``quickack``: runserver (wsgiref) writes the status line, the headers and the body in
    separate ``send()`` calls. On a keep-alive connection the kernel delays the client's ACK
    (up to 40 ms) while Nagle holds the server's next write until that ACK: every response then
    waits ~40 ms that belong to the development server, not to the application (a 5 KB page:
    48 ms instead of 3 ms). Setting TCP_QUICKACK on the client socket right after each request
    is sent makes the kernel ACK at once. ``--no-quickack`` shows the raw figures.
    """

    def __init__(self, port: int, *, quickack: bool = True):
        self.port = port
        self.quickack = quickack and hasattr(socket, "TCP_QUICKACK")
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, dict]:
        headers = {"Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                if self.quickack and self.conn.sock is not None:
                    self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        if response.will_close:
            self.conn.close()
        return response.status, data, dict(response.headers)

    def get(self, path: str) -> tuple[int, bytes]:
        status, data, _ = self.request("GET", path)
        return status, data

    def login(self, username: str, password: str) -> None:
        status, _ = self.get("/accounts/login/")
        if status != 200 or "csrftoken" not in self.cookies:
            raise SystemExit(f"GET /accounts/login/ gave {status} and no CSRF cookie")
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "username": username,
                "password": password,
            }
        )
        status, _, _ = self.request("POST", "/accounts/login/", body)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Sign-in failed: POST /accounts/login/ gave {status}")
        status, _ = self.get("/cases/")
        if status != 200:
            raise SystemExit(f"Signed in but /cases/ gave {status}")

    def close(self) -> None:
        self.conn.close()


class Server:
    """``withhold serve`` on a free port, stopped (by its own pid) on exit."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in __exit__
            prefix="withhold-bench-server-", suffix=".log", delete=False
        )
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            # Only the pages are timed: the scheduled jobs (reminders, snapshots) that `serve`
            # otherwise starts with would run over the 100,000 cases during the timing.
            [withhold_bin(), "serve", "--no-scheduler", f"127.0.0.1:{self.port}"],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"The server exited ({self.proc.returncode}):\n{self.tail()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return self
            time.sleep(0.2)
        raise SystemExit(f"The server did not start within 60 s:\n{self.tail()}")

    def tail(self) -> str:
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-30:])

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)


# --------------------------------------------------------------------------------------------
# Bare SQL
# --------------------------------------------------------------------------------------------

DATA_TABLES = re.compile(r'"(cases_|audit_|entities_)')


def capture_sql(fn: Callable[[], object]) -> list[tuple[str, object]]:
    """The data statements (with parameters) Django runs while calling ``fn``."""
    from django.db import connection

    captured: list[tuple[str, object]] = []

    def wrapper(execute, sql, params, many, context):
        if DATA_TABLES.search(sql):
            captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return captured


def list_page_sql(user, params: dict) -> list[tuple[str, object]]:
    """Count + page queries of the case list, as the view builds them (filters, sort, page)."""
    from withhold.cases import selectors
    from withhold.cases.forms import CaseFilterForm
    from withhold.core.paginator import IdFirstPaginator

    form = CaseFilterForm(params)
    if not form.is_valid():
        raise SystemExit(f"Invalid list filters {params}: {form.errors}")
    data = dict(form.cleaned_data)
    sort = data.pop("sort") or (
        selectors.RELEVANCE_SORT if data["q"].strip() else selectors.DEFAULT_CASE_SORT
    )
    data["commodity"] = data["commodity"].pk if data["commodity"] else None
    data["analyst"] = data["analyst"].pk if data["analyst"] else None
    filters = selectors.CaseFilters(**data)
    qs = selectors.case_list(user=user, filters=filters, sort=sort)

    def run():
        # As the view pages it (cases/views.py): a searched list counts in the page's query.
        page = IdFirstPaginator(qs, 25, count_with_page=filters.searched).get_page(
            params.get("page")
        )
        list(page.object_list)

    return capture_sql(run)


def detail_sql(user, number: str) -> list[tuple[str, object]]:
    from withhold.audit.selectors import audit_entries_for_case
    from withhold.cases import selectors

    def run():
        case = selectors.case_detail_for_user(user=user, number=number)
        list(audit_entries_for_case(case_id=case.pk)[:50])

    return capture_sql(run)


def export_sql(user, params: dict) -> list[tuple[str, object]]:
    from withhold.cases import selectors

    qs = selectors.case_list(
        user=user,
        filters=selectors.CaseFilters(
            status=params.get("status", ""), country=params.get("country", "")
        ),
    )
    sql, sql_params = qs.select_related(
        "commodity", "assigned_analyst", "supervisor"
    ).query.sql_with_params()
    return [(sql, sql_params)]


def time_sql(cur, statements: list[tuple[str, object]]) -> tuple[float, int]:
    started = time.perf_counter()
    rows = 0
    for sql, params in statements:
        cur.execute(sql, params)
        rows += len(cur.fetchall())
    return (time.perf_counter() - started) * 1000, rows


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(values: list[float]) -> tuple[int, float, float, float]:
    return len(values), percentile(values, 50), percentile(values, 95), max(values)


def print_table(results: list[dict]) -> None:
    head = (
        f"{'request':<30} {'n':>4} | {'HTTP p50':>8} {'p95':>8} {'max':>8} | "
        f"{'SQL p50':>8} {'p95':>8} {'max':>8} | {'ratio p50':>9} {'p95':>6}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        n, h50, h95, hmax = summary(r["http"])
        _, s50, s95, smax = summary(r["sql"])
        print(
            f"{r['name']:<30} {n:>4} | {h50:>8.1f} {h95:>8.1f} {hmax:>8.1f} | "
            f"{s50:>8.1f} {s95:>8.1f} {smax:>8.1f} | {h50 / s50:>8.1f}x {h95 / s95:>5.1f}x"
        )
    print("(milliseconds; HTTP = request sent to last byte read, one keep-alive connection;")
    print(" SQL = the same page's data statements over psycopg, rows fetched)")


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases to seed (100000)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per kind (200)")
    parser.add_argument(
        "--export-requests",
        type=int,
        default=20,
        help="timed CSV exports (20; each reads ~20,000 rows)",
    )
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per kind (5)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--reseed", action="store_true", help="truncate and seed again")
    parser.add_argument(
        "--skip-migrate",
        action="store_true",
        help="use the schema as it is (e.g. to measure before a migration that adds indexes)",
    )
    parser.add_argument(
        "--no-quickack",
        action="store_true",
        help="do not set TCP_QUICKACK (keeps runserver's ~40 ms delayed-ACK stall per request)",
    )
    parser.add_argument("--seed", type=int, default=1307, help="random seed (1307)")
    args = parser.parse_args(argv)
    if args.cases < 10 or args.requests < 1:
        parser.error("--cases must be at least 10 and --requests at least 1")
    if urllib.parse.urlsplit(args.database_url).scheme not in ("postgres", "postgresql"):
        parser.error("--database-url must be a PostgreSQL URL")

    secret = secrets.token_urlsafe(40)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "withhold.settings.local",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": secret,
    }
    database_ensure(args.database_url)
    if args.skip_migrate:
        print("Not migrating (--skip-migrate): the database schema is used as it is.")
    else:
        run_withhold(["migrate", "--noinput", "-v", "0"], env)
        run_withhold(["load-reference"], env)

    # This process uses Django too: for seeding helpers, the query-count checks and to build
    # the bare SQL. The test client's host "testserver" must be allowed here.
    os.environ.update({**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"})
    import django

    # Static files are not collected for the benchmark: whitenoise's warning about it is noise.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    django.setup()
    from django.db import connection

    seeding = seed(args.database_url, args.cases, reseed=args.reseed, rng_seed=args.seed)
    if seeding.get("seeded") and not args.skip_migrate:
        # TRUNCATE ... CASCADE also emptied the tables that point at cases and entities (the
        # reference orders among them): load the reference data again.
        run_withhold(["load-reference"], env)
    problems = seed_check(rng_seed=args.seed)
    if problems:
        raise SystemExit("Seeded cases break the workflow rules:\n" + "\n".join(problems[:20]))
    password = secrets.token_urlsafe(24)
    user = bench_user_ensure(password)
    user.get_all_permissions()  # fill the permission cache: no permission queries in the SQL

    rng = random.Random(args.seed + 1)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.number, count(*) FROM cases_case c JOIN cases_caseentity e "
            "ON e.case_id = c.id GROUP BY c.number HAVING count(*) = 1 ORDER BY c.number LIMIT 1"
        )
        one_entity = cur.fetchone()[0]
        cur.execute(
            "SELECT c.number FROM cases_case c JOIN cases_caseentity e ON e.case_id = c.id "
            "WHERE c.phase = 'implementation' GROUP BY c.number HAVING count(*) = 3 "
            "ORDER BY c.number LIMIT 1"
        )
        three_entities = cur.fetchone()[0]
        cur.execute("SELECT number FROM cases_case ORDER BY id")
        numbers = [r[0] for r in cur.fetchall()]
    detail_numbers = [rng.choice(numbers) for _ in range(args.requests)]
    deep_page = max(1, (len(numbers) // 25) * 3 // 4)

    print("\nQuery counts (in process, Django test client):")
    counts_ok, count_lines = query_count_checks(
        user, one_entity=one_entity, three_entities=three_entities
    )
    print("\n".join(count_lines))

    filtered = {
        "status": "active",
        "phase": "initiation",
        "country": "CN",
        "q": SEARCH_WORD,
        "sort": "-opened_on",
        "page": "3",
    }
    list_kinds = [
        ("list: filtered+search, p3", filtered),
        ("list: no filter, p1", {}),
        ("list: sort=title, p2", {"sort": "title", "page": "2"}),
        (f"list: deep page {deep_page}", {"page": str(deep_page)}),
    ]
    export_params = {"format": "csv", "status": "active", "country": "CN"}
    kinds = [
        {"name": name, "paths": [f"/cases/?{urllib.parse.urlencode(p)}"], "params": p}
        for name, p in list_kinds
    ]
    kinds.append({"name": "detail: random case", "paths": [f"/cases/{n}/" for n in detail_numbers]})
    kinds.append(
        {
            "name": "export: CSV active CN",
            "paths": [f"/cases/?{urllib.parse.urlencode(export_params)}"],
            "count": args.export_requests,
        }
    )

    errors: list[str] = []
    loads = [load_average()]
    print(f"\nHTTP: {args.requests} timed requests per kind after {args.warmup} warm-up ones")
    with Server(env) as server:
        browser = Browser(server.port, quickack=not args.no_quickack)
        try:
            browser.login(BENCH_USERNAME, password)
            for kind in kinds:
                count = kind.get("count", args.requests)
                paths = kind["paths"]
                for i in range(args.warmup):
                    browser.get(paths[i % len(paths)])
                timings = []
                size = 0
                for i in range(count):
                    path = paths[i % len(paths)]
                    started = time.perf_counter()
                    status, body = browser.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
                    size = len(body)
                    if status != 200:
                        errors.append(f"GET {path} gave {status}")
                kind["http"] = timings
                print(
                    f"  {kind['name']:<30} {count:>4} requests, p50 "
                    f"{percentile(timings, 50):7.1f} ms, last body {size:,} bytes",
                    flush=True,
                )
        finally:
            browser.close()

    loads.append(load_average())
    print("\nBare SQL (psycopg, client-side binding as Django uses):")
    import psycopg

    with psycopg.connect(args.database_url, cursor_factory=psycopg.ClientCursor) as conn:
        cur = conn.cursor()
        for kind in kinds:
            name = kind["name"]
            if name.startswith("list"):
                params = {k: v for k, v in kind["params"].items() if k != "format"}
                plans = [list_page_sql(user, params)]
            elif name.startswith("detail"):
                plans = [detail_sql(user, n) for n in detail_numbers]
            else:
                plans = [export_sql(user, export_params)]
            count = len(kind["http"])
            for i in range(args.warmup):
                time_sql(cur, plans[i % len(plans)])
            timings = []
            rows = 0
            for i in range(count):
                ms, rows = time_sql(cur, plans[i % len(plans)])
                timings.append(ms)
            kind["sql"] = timings
            print(
                f"  {name:<30} {len(plans[-1])} statement(s), {rows:,} rows, p50 "
                f"{percentile(timings, 50):7.1f} ms",
                flush=True,
            )
            conn.rollback()

    loads.append(load_average())
    print()
    print(
        f"Machine: {os.cpu_count()} CPUs; 1-minute load average before HTTP / before SQL / "
        f"at the end: {' / '.join(loads)} (other processes' load skews the figures)"
    )
    when = "this run" if seeding.get("seeded") else "an earlier run"
    print(f"Seed: {args.cases:,} cases in {seeding['seconds']:.1f} s ({when})")
    print_table(kinds)
    print("\nTargets: list and detail p95 under 150 ms; no query count growing with rows shown.")
    for kind in kinds:
        if kind["name"].startswith(("list", "detail")):
            p95 = percentile(kind["http"], 95)
            verdict = "met" if p95 < 150 else f"MISSED by {p95 - 150:.1f} ms"
            print(f"  {kind['name']:<30} HTTP p95 {p95:7.1f} ms: {verdict}")
    print(f"  query counts: {'met' if counts_ok else 'MISSED'}")
    for error in errors[:10]:
        print(f"ERROR: {error}")
    return 0 if counts_ok and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
