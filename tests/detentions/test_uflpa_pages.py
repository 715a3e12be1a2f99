"""UFLPA detentions on the pages and the API: recording with a nexus, the basis filter, the
deemed exclusion shown on the list, detail page, CSV and API; what the importer sees of its own
UFLPA detention (basis, nexus entity and clocks, no internal field); and a screening hit on the
UFLPA Entity List turned into a UFLPA detention in one step."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from withhold.accounts.roles import Role
from withhold.audit.models import AuditAction, AuditEntry
from withhold.detentions.models import Detention, ImporterAccount
from withhold.screening.models import ScreeningHit, ScreeningRun

from ..factories import UserFactory
from .conftest import UFLPA_CSV, uflpa_fields

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
TODAY = timezone.localdate()
EVIDENCE = "Mill certificate names a spinning mill in Aksu, XUAR."


@pytest.fixture
def running(record, uflpa_entry):
    """Presented 10 days ago, listed entity and XUAR input: its 30 days still run."""
    presented = TODAY - dt.timedelta(days=10)
    return record(
        [],
        **uflpa_fields(
            uflpa_entry,
            entry_number="ABC-7654322-0",
            uflpa_nexus="both",
            xuar_input="Cotton yarn",
            xuar_evidence=EVIDENCE,
            imported_on=presented,
            presented_on=presented,
            notice_on=presented + dt.timedelta(days=1),
        ),
    )


@pytest.fixture
def lapsed(record, uflpa_entry):
    """Presented 31 days ago with no decision: deemed excluded yesterday's 30th day."""
    presented = TODAY - dt.timedelta(days=31)
    return record(
        [],
        **uflpa_fields(
            uflpa_entry,
            entry_number="ABC-7654321-0",
            imported_on=presented,
            presented_on=presented,
            notice_on=presented + dt.timedelta(days=2),
        ),
    )


@pytest.fixture
def detention(record, wro):
    return record(
        [wro], imported_on=TODAY - dt.timedelta(days=20), notice_on=TODAY - dt.timedelta(days=18)
    )


def test_recording_a_uflpa_detention_on_the_form(port_officer, acme, uflpa_entry, client):
    client.force_login(port_officer)
    presented = TODAY - dt.timedelta(days=3)
    data = {
        "entry_number": "XYZ-7654321-3",
        "entry_line": 1,
        "port_of_entry": "1001 New York",
        "imported_on": presented.isoformat(),
        "notice_on": TODAY.isoformat(),
        "importer": acme.pk,
        "country_of_origin": "CN",
        "merchandise": "Cotton shirts",
        "hts_code": "6205.20",
        "quantity": "10",
        "quantity_unit": "pcs",
        "value_usd": "900",
        "basis": "uflpa",
        "presented_on": presented.isoformat(),
        "officer": port_officer.pk,
    }
    refused = client.post("/detentions/new/", data, **HOST)
    assert refused.status_code == 400
    assert "needs its nexus" in refused.content.decode()
    assert not Detention.objects.exists()
    data |= {"uflpa_nexus": "listed_entity", "uflpa_list_entry": uflpa_entry.pk}
    response = client.post("/detentions/new/", data, **HOST)
    assert response.status_code == 302
    detention = Detention.objects.get()
    assert detention.uflpa_entity_name == "Example Xinjiang Cotton Mill Co. Ltd."
    page = client.get(response["Location"], **HOST).content.decode()
    assert "UFLPA presumption" in page
    assert "Example Xinjiang Cotton Mill Co. Ltd. (UFLPA Entity List row 2;" in page
    assert "Final admissibility decision due" in page


def test_list_filters_by_basis_and_shows_the_deemed_exclusion(
    running, lapsed, detention, port_officer, client
):
    client.force_login(port_officer)
    only_uflpa = client.get("/detentions/", {"basis": "uflpa"}, **HOST).content.decode()
    assert running.entry_number in only_uflpa and lapsed.entry_number in only_uflpa
    assert detention.entry_number not in only_uflpa
    deemed_on = (lapsed.presented_on + dt.timedelta(days=30)).isoformat()
    assert f"Deemed excluded on {deemed_on}" in only_uflpa
    deemed = client.get("/detentions/", {"deemed_excluded": "on"}, **HOST).content.decode()
    assert "1 detention" in deemed and lapsed.entry_number in deemed
    orders_only = client.get("/detentions/", {"basis": "order"}, **HOST).content.decode()
    assert detention.entry_number in orders_only and running.entry_number not in orders_only


def test_detail_page_shows_the_clocks_and_the_deemed_exclusion(lapsed, port_officer, client):
    client.force_login(port_officer)
    page = client.get(f"/detentions/{lapsed.pk}/", **HOST).content.decode()
    deemed_on = lapsed.presented_on + dt.timedelta(days=30)
    protest = deemed_on + dt.timedelta(days=180)
    assert f"Deemed excluded on {deemed_on:%Y-%m-%d}" in page
    assert "no final admissibility decision within 30 days of presentation" in page
    assert f"{protest:%Y-%m-%d} (180 days; 19 U.S.C. 1514)" in page


def test_csv_carries_the_basis_nexus_and_deemed_exclusion(lapsed, detention, port_officer, client):
    client.force_login(port_officer)
    text = client.get("/detentions/?format=csv", **HOST).getvalue().decode()
    header, *rows = text.splitlines()
    columns = header.split(",")
    assert {"basis", "uflpa_nexus", "uflpa_listed_entity", "deemed_excluded_on"} <= set(columns)
    by_entry = {row.split(",")[0]: row for row in rows}
    uflpa_row = by_entry[lapsed.entry_number]
    assert ",uflpa,listed_entity,Example Xinjiang Cotton Mill Co. Ltd.," in uflpa_row
    assert (lapsed.presented_on + dt.timedelta(days=30)).isoformat() in uflpa_row
    assert ",order,," in by_entry[detention.entry_number]


def test_the_importer_sees_basis_nexus_and_clocks_but_no_internal_field(lapsed, acme_user, client):
    client.force_login(acme_user)
    page = client.get(f"/detentions/{lapsed.pk}/", **HOST).content.decode()
    assert "UFLPA presumption" in page
    assert "Example Xinjiang Cotton Mill Co. Ltd." in page
    assert "Deemed excluded on" in page and "Protest the exclusion by" in page
    api = APIClient()
    api.force_authenticate(acme_user)
    data = api.get(f"/api/detentions/{lapsed.pk}/").json()
    assert data["basis"] == "uflpa"
    assert data["uflpa_entity_name"] == "Example Xinjiang Cotton Mill Co. Ltd."
    assert (
        data["uflpa_clocks"]["deemed_excluded_on"]
        == (lapsed.presented_on + dt.timedelta(days=30)).isoformat()
    )
    for internal in ("xuar_evidence", "uflpa_list_entry", "officer", "recommendation"):
        assert internal not in data


def test_the_importer_never_sees_the_xuar_evidence(running, acme_user, port_officer, client):
    client.force_login(acme_user)
    page = client.get(f"/detentions/{running.pk}/", **HOST).content.decode()
    assert "Cotton yarn" in page
    assert EVIDENCE not in page
    csv_text = client.get("/detentions/?format=csv", **HOST).getvalue().decode()
    assert EVIDENCE not in csv_text
    client.force_login(port_officer)
    assert EVIDENCE in client.get(f"/detentions/{running.pk}/", **HOST).content.decode()


def test_api_records_a_uflpa_detention_by_list_row_and_filters(
    port_officer, acme, uflpa_list, lapsed
):
    api = APIClient()
    api.force_authenticate(port_officer)
    body = {
        "entry_number": "xyz 7654321 3",
        "port_of_entry": "1001 New York",
        "imported_on": str(TODAY - dt.timedelta(days=5)),
        "presented_on": str(TODAY - dt.timedelta(days=5)),
        "notice_on": str(TODAY),
        "importer": acme.pk,
        "country_of_origin": "CN",
        "merchandise": "Polysilicon wafers",
        "hts_code": "3818.00",
        "quantity": "100",
        "quantity_unit": "kg",
        "value_usd": "9000",
        "basis": "uflpa",
        "uflpa_nexus": "listed_entity",
    }
    missing = api.post("/api/detentions/", body, format="json")
    assert missing.status_code == 400
    assert "uflpa_list_row" in str(missing.json())
    unknown = api.post("/api/detentions/", body | {"uflpa_list_row": 99}, format="json")
    assert unknown.status_code == 400
    assert "has no row 99" in str(unknown.json())
    created = api.post("/api/detentions/", body | {"uflpa_list_row": 3}, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["uflpa_entity_name"] == "Example Polysilicon Co. Ltd."
    assert data["uflpa_clocks"]["admissibility_due"] == str(TODAY + dt.timedelta(days=25))
    assert data["uflpa_clocks"]["deemed_excluded_on"] is None
    listed = api.get("/api/detentions/", {"deemed_excluded": "true"}).json()
    assert [d["id"] for d in listed] == [lapsed.pk]
    assert len(api.get("/api/detentions/", {"basis": "uflpa"}).json()) == 2
    assert api.get("/api/detentions/", {"basis": "nonsense"}).status_code == 400
    schema = api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert "uflpa_list_row" in schema["DetentionCreateRequest"]["properties"]
    assert "deemed_excluded_on" in schema["UflpaClocks"]["properties"]


#                         list  filtered  detail(uflpa)  api list  api detail
MATRIX = {
    None:                   [302, 302, 302, 403, 403],
    Role.CASE_ANALYST:      [200, 200, 200, 200, 200],
    Role.PORT_OFFICER:      [200, 200, 200, 200, 200],
    Role.HSI_LIAISON:       [403, 403, 403, 403, 403],
    Role.IMPORTER:          [200, 200, 200, 200, 200],
    Role.PUBLIC:            [403, 403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_uflpa_pages_and_api_by_role(role, lapsed, acme, client):
    api = APIClient()
    if role is not None:
        user = UserFactory(role=role, username=f"uflpa-{role}")
        if role == Role.IMPORTER:
            ImporterAccount.objects.create(user=user, entity=acme)
        client.force_login(user)
        api.force_authenticate(user)
    got = [
        client.get("/detentions/", **HOST).status_code,
        client.get("/detentions/?basis=uflpa&deemed_excluded=on", **HOST).status_code,
        client.get(f"/detentions/{lapsed.pk}/", **HOST).status_code,
        api.get("/api/detentions/?basis=uflpa").status_code,
        api.get(f"/api/detentions/{lapsed.pk}/").status_code,
    ]
    assert got == MATRIX[role]


# Screening hand-off ---------------------------------------------------------------------------


def _hit(targeting_analyst, **fields):
    run = ScreeningRun.objects.create(
        original_name="lines.csv", content_type="text/csv", size=1, sha256="0" * 64,
        status="done", created_by=targeting_analyst,
    )  # fmt: skip
    values = {
        "run": run, "position": 1, "row_number": 2, "line_id": "L1",
        "entry_number": "AB1-1234567-8", "entry_date": (TODAY - dt.timedelta(days=2)).isoformat(),
        "importer_name": "Acme Imports LLC", "manufacturer_name": "EXAMPLE XINJIANG COTTON MILL",
        "manufacturer_address": "No. 1 Road, Aksu, Xinjiang", "country_of_origin": "CN",
        "hts_code": "5205110000", "description": "cotton yarn", "hit_kind": "list",
        "hit_ref": "uflpa #1", "hit_name": "Example Xinjiang Cotton Mill Co. Ltd.", "score": 96,
        "action": "detain", "reasons": "name 96; address city agrees",
    }  # fmt: skip
    values.update(fields)
    return ScreeningHit.objects.create(**values)


def test_a_uflpa_list_hit_becomes_a_uflpa_detention_in_one_step(
    uflpa_entry, targeting_analyst, port_officer, acme, client
):
    hit = _hit(targeting_analyst)
    client.force_login(port_officer)
    page = client.get(reverse("screening:hit_detention", args=[hit.pk]), **HOST)
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["basis"] == "uflpa"
    assert initial["uflpa_nexus"] == "both"
    assert initial["uflpa_list_entry"] == uflpa_entry
    assert initial["xuar_input"] == "cotton yarn"
    assert "“No. 1 Road, Aksu, Xinjiang”" in initial["xuar_evidence"]
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data |= {
        "importer": acme.pk,
        "port_of_entry": "2704 Los Angeles, CA",
        "notice_on": TODAY.isoformat(),
        "presented_on": initial["imported_on"],
        "quantity": "50",
        "value_usd": "1200",
        "uflpa_list_entry": uflpa_entry.pk,
        "officer": port_officer.pk,
        "orders": [],
    }
    response = client.post(reverse("detentions:create"), data, **HOST)
    assert response.status_code == 302, response.content.decode()[:3000]
    detention = Detention.objects.get()
    assert detention.basis == "uflpa" and detention.uflpa_nexus == "both"
    assert detention.uflpa_list_row == 2
    assert AuditEntry.objects.filter(
        action=AuditAction.DETENTION_RECORDED, object_id=str(detention.pk)
    ).exists()


def test_an_xuar_region_hit_gives_the_xuar_nexus_and_a_named_order_hit_stays_an_order(
    targeting_analyst, port_officer, wro, client
):
    region = _hit(
        targeting_analyst, hit_kind="order", hit_ref=wro.number, hit_name="XUAR", order=wro,
        reasons="country CN agrees; address region agrees; HS 5205 agrees",
    )  # fmt: skip
    named = _hit(
        targeting_analyst, hit_kind="order", hit_ref=wro.number, hit_name="Some Mill", order=wro,
        reasons="name 100; country CN agrees; address city agrees",
    )  # fmt: skip
    client.force_login(port_officer)
    initial = (
        client.get(reverse("screening:hit_detention", args=[region.pk]), **HOST)
        .context["form"]
        .initial
    )
    assert (initial["basis"], initial["uflpa_nexus"]) == ("uflpa", "xuar_origin")
    assert [o.number for o in initial["orders"]] == [wro.number]
    initial = (
        client.get(reverse("screening:hit_detention", args=[named.pk]), **HOST)
        .context["form"]
        .initial
    )
    assert initial["basis"] == "order" and "uflpa_nexus" not in initial


def test_the_detention_keeps_its_version_entry_after_a_reload_that_removes_it(
    record, uflpa_entry, port_officer, client
):
    from withhold.screening.services import entity_list_load

    detention = record([], **uflpa_fields(uflpa_entry))
    version = detention.uflpa_list_version
    client.force_login(port_officer)
    page = client.get(reverse("detentions:detail", args=[detention.pk]), **HOST).content.decode()
    assert "Version 1, entry #1" in page and "removed from the current list" not in page
    # Version 2 drops the cotton mill and adds a company.
    entity_list_load(
        actor=None,
        source="uflpa",
        file_name="uflpa_next.csv",
        data=b"name,country\nExample Polysilicon Co. Ltd.,CN\nNew Co.,CN\n",
        effective_on=TODAY,
    )
    detention.refresh_from_db()
    assert detention.uflpa_list_entry == uflpa_entry
    assert detention.uflpa_list_entry.list_version.number == 1
    assert detention.uflpa_list_version == version
    assert detention.uflpa_entity_name == "Example Xinjiang Cotton Mill Co. Ltd."
    page = client.get(reverse("detentions:detail", args=[detention.pk]), **HOST).content.decode()
    link = reverse("screening:list_version_entry", args=["uflpa", 1, 1])
    assert f'href="{link}"' in page
    assert "removed from the current list (version 2)" in page
    entry_page = client.get(link, **HOST).content.decode()
    assert "Example Xinjiang Cotton Mill Co. Ltd." in entry_page
    assert "Removed: the current list (version 2) no longer holds this entry." in entry_page


def test_the_detention_page_names_the_entry_in_the_current_version_when_still_listed(
    record, uflpa_entry, port_officer, client
):
    from withhold.screening.services import entity_list_load

    detention = record([], **uflpa_fields(uflpa_entry))
    entity_list_load(
        actor=None,
        source="uflpa",
        file_name="uflpa_next.csv",
        data=UFLPA_CSV + b"New Co.,,CN,,\n",
    )
    client.force_login(port_officer)
    page = client.get(reverse("detentions:detail", args=[detention.pk]), **HOST).content.decode()
    assert "Version 1, entry #1" in page
    assert "Still listed in the current version 2, as entry #1." in page
    assert "removed from the current list" not in page


def test_a_new_detention_relies_on_the_current_version_only(record, uflpa_entry):
    from withhold.screening.services import entity_list_load

    entity_list_load(
        actor=None, source="uflpa", file_name="uflpa_next.csv", data=UFLPA_CSV + b"New Co.,,,,\n"
    )
    with pytest.raises(ValidationError) as caught:
        record([], **uflpa_fields(uflpa_entry))
    assert "not of the current version (2)" in str(caught.value)


def test_statistics_break_down_by_basis(lapsed, running, detention, port_officer, client):
    client.force_login(port_officer)
    text = client.get("/detentions/statistics/?format=csv", **HOST).getvalue().decode()
    assert "basis,order,Withhold Release Order or Finding,1,48000.00" in text
    assert "basis,uflpa,UFLPA presumption,2,96000.00" in text
    page = client.get("/detentions/statistics/", **HOST).content.decode()
    assert "By basis (order, CAATSA, UFLPA)" in page
    api = APIClient()
    api.force_authenticate(port_officer)
    rows = api.get("/api/detentions/statistics/").json()["by_basis"]
    assert [(r["key"], r["count"]) for r in rows] == [("order", 1), ("uflpa", 2)]
