"""Case numbers tell a reader nothing of how many cases exist or where the law-enforcement-
sensitive ones they may not see would sit (docs/adr/0004-case-numbers.md)."""

import itertools
import re

import pytest
from django.utils import timezone

from withhold.cases import services
from withhold.cases.models import Case

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
NUMBER = re.compile(r"FL-(\d{4})-([0-9A-HJKMNP-TV-Z]{6})")


def _open(actor, commodity, **extra):
    return services.case_create(
        actor=actor,
        title="Cotton yarn",
        allegation_summary="Forced labor alleged at the mill.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate(),
        **extra,
    )


def test_case_numbers_do_not_reveal_hidden_cases(client, supervisor, targeting_analyst, commodity):
    cases = []
    for index in range(12):
        sensitive = index % 3 == 1
        cases.append(_open(supervisor, commodity, law_enforcement_sensitive=sensitive))
    for case in cases:
        match = NUMBER.fullmatch(case.number)
        assert match and int(match.group(1)) == timezone.localdate().year
    visible = [c.number for c in cases if not c.law_enforcement_sensitive]
    # Nothing in the visible numbers orders them or leaves a gap where a hidden case sits.
    assert visible != sorted(visible)
    assert len(set(visible)) == len(visible)
    # A targeting analyst reads cases but not the law-enforcement-sensitive ones.
    client.force_login(targeting_analyst)
    listing = client.get("/cases/", {"sort": "number"}, **HOST).content.decode()
    for case in cases:
        assert (case.number in listing) is (not case.law_enforcement_sensitive)


def test_a_clash_draws_a_new_number(monkeypatch, supervisor, commodity):
    year = timezone.localdate().year
    CaseFactory(number=f"FL-{year}-AAAAAA")
    letters = itertools.chain("AAAAAA", itertools.cycle("B"))
    monkeypatch.setattr(services.secrets, "choice", lambda alphabet: next(letters))
    assert _open(supervisor, commodity).number == f"FL-{year}-BBBBBB"


def test_numbers_given_before_stay_valid(client, case_analyst):
    CaseFactory(number="FL-2026-0016", title="Opened under the old sequence")
    client.force_login(case_analyst)
    response = client.get("/cases/FL-2026-0016/", **HOST)
    assert response.status_code == 200
    assert Case.objects.get(number="FL-2026-0016")
