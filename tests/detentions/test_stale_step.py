"""Optimistic locking on detentions: a step taken from a page opened before someone else changed
the detention is refused with who changed it, and not applied."""

import datetime as dt
import html

import pytest
from django.utils import timezone

from withhold.detentions import services
from withhold.detentions.models import Detention

from .conftest import proof_files

HOST = {"HTTP_HOST": "127.0.0.1"}
TODAY = timezone.localdate()


@pytest.fixture
def detention(record, wro):
    return record(
        [wro],
        imported_on=TODAY - dt.timedelta(days=20),
        notice_on=TODAY - dt.timedelta(days=18),
    )


def test_a_recommendation_from_a_stale_page_is_refused(detention, acme_user, port_officer, client):
    services.detention_proof_submit(detention=detention, actor=acme_user, documents=proof_files())
    services.detention_review_start(detention=detention, actor=port_officer)
    client.force_login(port_officer)
    url = f"/detentions/{detention.pk}/recommend/"
    page = client.get(url, **HOST)
    opened = Detention.objects.get(pk=detention.pk).version
    assert f'name="version" value="{opened}"' in page.content.decode()

    services.detention_recommend(
        detention=detention, actor=port_officer, recommendation="exclude", reason="Not traced."
    )
    response = client.post(
        url, {"recommendation": "release", "reason": "Traced.", "version": opened}, **HOST
    )
    text = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "This detention was changed by" in text
    assert "your changes were not saved — reload to see theirs" in text
    assert Detention.objects.get(pk=detention.pk).recommendation == "exclude"

    current = Detention.objects.get(pk=detention.pk).version
    response = client.post(
        url, {"recommendation": "release", "reason": "Traced.", "version": current}, **HOST
    )
    assert response.status_code == 302
    assert Detention.objects.get(pk=detention.pk).recommendation == "release"


def test_an_api_step_with_a_stale_version_gets_409(detention, acme_user, port_officer):
    from rest_framework.test import APIClient

    services.detention_proof_submit(detention=detention, actor=acme_user, documents=proof_files())
    api = APIClient()
    api.force_authenticate(port_officer)
    url = f"/api/detentions/{detention.pk}/steps/"
    opened = api.get(f"/api/detentions/{detention.pk}/").json()["version"]
    services.detention_review_start(detention=detention, actor=port_officer)

    stale = api.post(url, {"step": "review_start", "version": opened}, format="json")
    assert stale.status_code == 409
    assert "This detention was changed by" in stale.json()["detail"]
    assert stale.json()["current_version"] == opened + 1

    current = api.get(f"/api/detentions/{detention.pk}/").json()["version"]
    ok = api.post(
        url,
        {"step": "recommend", "recommendation": "release", "reason": "Traced.", "version": current},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["recommendation"] == "release"
