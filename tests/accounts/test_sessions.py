"""A staff sign-in ends after 30 minutes idle or 12 hours in all; signed-in responses are never
kept by a browser or proxy (Cache-Control: no-store)."""

import time

import pytest
from django.conf import settings

from withhold.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
PAGE = "/cases/"


def _shift(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_session_defaults_are_shorter_than_djangos_two_weeks():
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.WITHHOLD_SESSION_IDLE_SECONDS == 30 * 60


def test_sign_in_starts_both_clocks(client, case_analyst):
    client.force_login(case_analyst)
    session = client.session
    assert abs(session[SIGNED_IN_AT] - time.time()) < 5
    assert session[LAST_SEEN_AT] == session[SIGNED_IN_AT]


def test_idle_session_expires(client, case_analyst):
    client.force_login(case_analyst)
    assert client.get(PAGE, **HOST).status_code == 200
    _shift(client, withhold_last_seen_at=settings.WITHHOLD_SESSION_IDLE_SECONDS + 1)
    response = client.get(PAGE, **HOST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    # Signed out for good, not just for this request.
    assert client.get(PAGE, **HOST).status_code == 302


def test_active_session_stays_signed_in_and_renews_its_idle_clock(client, case_analyst):
    client.force_login(case_analyst)
    _shift(client, withhold_last_seen_at=settings.WITHHOLD_SESSION_IDLE_SECONDS - 60)
    assert client.get(PAGE, **HOST).status_code == 200
    assert time.time() - client.session[LAST_SEEN_AT] < 5


def test_session_ends_after_its_absolute_lifetime_however_busy(client, case_analyst):
    client.force_login(case_analyst)
    _shift(client, withhold_signed_in_at=settings.SESSION_COOKIE_AGE + 1, withhold_last_seen_at=10)
    response = client.get(PAGE, **HOST)
    assert response.status_code == 302


def test_api_answers_403_for_an_idle_session(client, case_analyst):
    client.force_login(case_analyst)
    _shift(client, withhold_last_seen_at=settings.WITHHOLD_SESSION_IDLE_SECONDS + 1)
    assert client.get("/api/cases/", **HOST).status_code == 403


def test_signed_in_responses_are_not_stored(client, case_analyst):
    client.force_login(case_analyst)
    assert client.get(PAGE, **HOST)["Cache-Control"] == "no-store"
    assert client.get("/api/cases/", **HOST)["Cache-Control"] == "no-store"
    # The public register stays cacheable, even for a signed-in reader's neighbour.
    client.logout()
    assert "no-store" not in client.get("/register/", **HOST).get("Cache-Control", "")


def test_signed_in_downloads_are_not_stored(client, case_analyst, commodity):
    from django.utils import timezone

    from withhold.cases import services

    case = services.case_create(
        actor=case_analyst,
        title="Cotton",
        allegation_summary="Forced labor alleged here.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate(),
    )
    client.force_login(case_analyst)
    response = client.get(f"/cases/{case.number}/audit.csv", **HOST)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
