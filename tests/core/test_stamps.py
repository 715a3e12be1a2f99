"""Values kept under a stamp (``core.stamps``): computed once, computed again after a change."""

import pytest

from withhold.core.stamps import Stamp

KEPT = {"SHARED_CACHE_SECONDS": 300}


def counting():
    calls = []

    def compute():
        calls.append(1)
        return ["value", len(calls)]

    return compute, calls


@pytest.mark.django_db
def test_a_kept_value_is_computed_once_until_the_stamp_moves(settings):
    settings.WITHHOLD = {**settings.WITHHOLD, **KEPT}
    stamp, (compute, calls) = Stamp("test:kept"), counting()
    assert stamp.remember("x", compute) == ["value", 1]
    assert stamp.remember("x", compute) == ["value", 1]
    stamp.bump()
    assert stamp.remember("x", compute) == ["value", 2]
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_the_stamp_moves_again_when_the_transaction_commits(settings):
    from django.db import transaction

    settings.WITHHOLD = {**settings.WITHHOLD, **KEPT}
    stamp, (compute, calls) = Stamp("test:commit"), counting()
    with transaction.atomic():
        stamp.bump()
        # A reader inside the change keeps the value it sees under the new token...
        stamp.remember("x", compute)
    # ...and the commit moves the token again, so the next reader reads afresh.
    stamp.remember("x", compute)
    assert len(calls) == 2


def test_without_a_shared_cache_nothing_is_kept(settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "SHARED_CACHE_SECONDS": 0}
    stamp, (compute, calls) = Stamp("test:off"), counting()
    stamp.remember("x", compute)
    stamp.remember("x", compute)
    assert len(calls) == 2
