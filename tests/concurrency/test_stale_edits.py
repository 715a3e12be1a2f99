"""Optimistic locking (``withhold.core.concurrency``): an edit made from a version someone else
has since saved over is refused with a clear message on pages and 409 on the API, and nothing of
it is saved. These run on SQLite and PostgreSQL; the two-connection races are in
``test_races.py`` (PostgreSQL); orders and detentions in their own test folders."""

import html
import re

import pytest
from django.urls import reverse

from withhold.cases import services as case_services
from withhold.cases.models import Case
from withhold.core.concurrency import StaleVersionError

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db

STALE = re.compile(  # the message, as the user reads it
    r"This (case|order|detention) was changed by (.+?) at \d{4}-\d\d-\d\d \d\d:\d\d after you "
    r"opened it; your changes were not saved — reload to see theirs\."
)


def test_every_saved_change_raises_the_version(case_analyst):
    case = CaseFactory()
    assert case.version == 1
    case = case_services.case_update(case=case, actor=case_analyst, priority="high", version=1)
    assert case.version == 2
    assert Case.objects.get(pk=case.pk).version == 2


def test_saving_a_stale_copy_is_refused_even_without_a_form(case_analyst):
    case = CaseFactory()
    stale = Case.objects.get(pk=case.pk)
    case_services.case_update(case=case, actor=case_analyst, priority="high")
    stale.title = "Overwritten"
    with pytest.raises(StaleVersionError):
        stale.save()
    assert Case.objects.get(pk=case.pk).title != "Overwritten"


def test_edit_page_carries_the_version_and_refuses_a_stale_save(client, case_analyst, supervisor):
    case = CaseFactory(title="Gloves from Example Rubber")
    client.force_login(case_analyst)
    form_page = client.get(reverse("cases:edit", args=[case.number]))
    assert 'name="version" value="1"' in form_page.content.decode()
    data = {
        k: v
        for k, v in form_page.context["form"].initial.items()
        if v is not None and k not in ("ilo_indicators", "evidence_sources")
    }
    data["title"] = "My new title"

    # Someone else saves first.
    case_services.case_update(case=case, actor=supervisor, title="Their title", version=1)

    response = client.post(reverse("cases:edit", args=[case.number]), data)
    page = html.unescape(response.content.decode())
    match = STALE.search(page)
    assert match, page
    assert match.group(1) == "case"
    assert match.group(2) in (supervisor.get_full_name(), supervisor.username)
    assert Case.objects.get(pk=case.pk).title == "Their title"

    # Reloaded (version 2), the same edit goes through.
    data["version"] = 2
    response = client.post(reverse("cases:edit", args=[case.number]), data)
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).title == "My new title"


def test_api_edit_needs_the_version_and_answers_409_when_stale(case_analyst, supervisor):
    from rest_framework.test import APIClient

    case = CaseFactory()
    api = APIClient()
    api.force_authenticate(case_analyst)
    url = f"/api/cases/{case.number}/"
    assert api.get(url).json()["version"] == 1

    missing = api.patch(url, {"priority": "high"}, format="json")
    assert missing.status_code == 400
    assert "version" in missing.json()

    case_services.case_update(case=case, actor=supervisor, priority="low", version=1)
    stale = api.patch(url, {"priority": "high", "version": 1}, format="json")
    assert stale.status_code == 409
    assert STALE.search(stale.json()["detail"])
    assert stale.json()["current_version"] == 2
    assert Case.objects.get(pk=case.pk).priority == "low"

    fresh = api.patch(url, {"priority": "high", "version": 2}, format="json")
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 3


def test_openapi_schema_requires_the_version_and_documents_409(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/cases/{number}/"]["patch"]
    assert "409" in operation["responses"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert body["required"] == ["version"]
    assert body["properties"]["version"]["type"] == "integer"
