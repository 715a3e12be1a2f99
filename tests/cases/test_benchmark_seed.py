"""The case benchmark's seed (``benchmarks/cases.py``) writes cases the workflow rules accept.

``make bench`` seeds 100,000 made-up cases with PostgreSQL ``COPY``, bypassing the services, then
refuses to run if a sample of them lacks what its phase requires (``seed_check``). When a rule
changes (evidence sources derived from evidence items, say) the seed must change with it, or
``make bench`` stops. This test builds the same rows for every (phase, status) of the seed's plan,
writes them through the ORM on the test database and runs the benchmark's own check over them.
"""

import contextlib
import importlib.util
import json
import random
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import models
from django.utils import timezone

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
from withhold.reference.models import EvidenceSourceKind, IloIndicator

from ..factories import CommodityFactory

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "cases.py"
FIRST_ID = 900_000  # ids the seed gives; far above anything the test database holds


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_cases", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MODELS = {  # the seed's table keys, in an order that satisfies the foreign keys
    "case": Case,
    "case_entity": CaseEntity,
    "evidence": EvidenceItem,
    "evidence_ilo": EvidenceItem.indicators.through,
    "case_evidence": Case.evidence_sources.through,
    "case_ilo": Case.ilo_indicators.through,
    "transition": CaseTransition,
    "update": CaseUpdate,
    "task": Task,
    "document": CaseDocument,
    "audit": AuditEntry,
}


def _write(tables: dict[str, list[dict]]) -> None:
    """Insert the rows the seed would ``COPY``: JSON columns arrive as JSON text, and the
    timestamps the seed gives are kept (``COPY`` does not fill ``auto_now_add`` fields; the ORM
    would stamp them with the time of the test)."""
    for key, model in MODELS.items():
        fields = model._meta.concrete_fields
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        with contextlib.ExitStack() as stack:
            for f in fields:
                for flag in ("auto_now", "auto_now_add"):
                    if getattr(f, flag, False):
                        stack.enter_context(mock.patch.object(f, flag, False))
            model.objects.bulk_create(
                model(**{k: json.loads(v) if k in json_fields else v for k, v in row.items()})
                for row in tables[key]
            )


@pytest.fixture
def seeded(db):
    bench = _bench_module()
    rng = random.Random(1307)
    now = timezone.localtime()
    today = timezone.localdate(now)
    people = bench.bench_people()
    commodity = CommodityFactory(name="Cotton (benchmark test)", hs_code="5201")
    entities = Entity.objects.bulk_create(
        Entity(
            name=f"{word} Textile Sdn. Bhd. (bench {n})",
            country=country,
            search_key=f"{word.lower()} textile (bench {n})",
            is_demo=True,
        )
        for n, (word, country) in enumerate(
            [(w, c) for w in ("Golden", "Harbor", "Lotus") for c in ("CN", "MY", "US")]
        )
    )
    by_country = defaultdict(list)
    for entity in entities:
        by_country[entity.country].append((entity.pk, entity.name))
    evidence = dict(EvidenceSourceKind.objects.values_list("code", "pk"))
    tables = {key: [] for key in MODELS}
    ids = {k: FIRST_ID for k in ("entity_link", "transition", "update", "task", "document")}
    ids.update(evidence=FIRST_ID, audit=FIRST_ID)
    numbers: set[str] = set()
    case_id = FIRST_ID
    prefix = settings.WITHHOLD["CASE_NUMBER_PREFIX"]
    for phase, status, reason, _weight in bench.PLAN:
        for n in range(4):
            case_id += 1
            opened = today - timedelta(days=40 + 200 * n)
            bench.seed_one_case(
                tables,
                ids,
                case_id=case_id,
                number=bench.case_number(rng, prefix, opened.year, numbers),
                opened=opened,
                phase=phase,
                status=status,
                reason=reason,
                country=("CN", "MY", "KP", "BR")[n],
                referral="ngo",
                rng=rng,
                today=today,
                now=now,
                people=people,
                commodities=[(commodity.pk, commodity.name, commodity.hs_code)],
                evidence_ids=[(c, evidence[c]) for c in bench.EVIDENCE_CODES if c in evidence],
                ilo_ids=list(IloIndicator.objects.values_list("pk", "number")),
                entities_by_country=by_country,
            )
    _write(tables)
    return bench


def test_seeded_cases_meet_their_phase_requirements(seeded):
    bench = seeded
    assert Case.objects.count() == len(bench.PLAN) * 4
    assert bench.seed_check(rng_seed=1307, sample=1000) == []


@pytest.mark.usefixtures("seeded")
def test_evidence_sources_are_those_of_the_evidence_items():
    later = Case.objects.exclude(phase="initiation")
    assert later.exists()
    for case in Case.objects.prefetch_related("evidence_sources", "evidence_items"):
        sources = {kind.code for kind in case.evidence_sources.all()}
        assert sources == {item.source.code for item in case.evidence_items.all()}, case.number
        if case.phase != "initiation":
            assert case.evidence_items.exists(), case.number
        for item in case.evidence_items.all():
            assert item.description.startswith("BENCH: made-up"), item.description
            assert item.is_demo and item.added_by_id
            assert item.obtained_on <= timezone.localdate(item.created_at)
    # Each item is on the case's history, as the evidence service records it.
    added = AuditEntry.objects.filter(action="EVIDENCE_ADDED")
    assert added.count() == EvidenceItem.objects.count()
    # An item was added before the case entered investigation (it needs a source to enter it).
    for case in later:
        entered = case.transitions.filter(kind="phase", to_phase="investigation").get()
        first = case.evidence_items.order_by("created_at").first()
        assert first.created_at <= entered.at, case.number


@pytest.mark.usefixtures("seeded")
def test_case_numbers_are_random_and_unique_like_the_apps():
    from withhold.cases.services import CASE_NUMBER_ALPHABET, CASE_NUMBER_RANDOM_LENGTH

    numbers = list(Case.objects.values_list("number", "opened_on"))
    assert len({n for n, _ in numbers}) == len(numbers)
    prefix = settings.WITHHOLD["CASE_NUMBER_PREFIX"]
    for number, opened in numbers:
        head, year, tail = number.split("-")
        assert (head, int(year)) == (prefix, opened.year)
        assert len(tail) == CASE_NUMBER_RANDOM_LENGTH
        assert set(tail) <= set(CASE_NUMBER_ALPHABET)
