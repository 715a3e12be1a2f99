"""The demo evidence loader copes with every demo case a later phase can hold."""

import pytest

from withhold.accounts.roles import Role
from withhold.cases.models import Phase
from withhold.evidence.demo import evidence_demo_load
from withhold.evidence.models import EvidenceItem

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_a_demo_case_without_entities_gets_demo_evidence(make_user):
    make_user(Role.CASE_ANALYST, username="analyst", is_demo=True)
    case = CaseFactory(is_demo=True, phase=Phase.INVESTIGATION)

    made = evidence_demo_load()

    assert made["evidence_items"] >= 1
    assert made["trade_uploads"] == 1
    assert EvidenceItem.objects.filter(case=case, is_demo=True).exists()
    # A second run adds nothing.
    assert evidence_demo_load()["evidence_items"] == 0
