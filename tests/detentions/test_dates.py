"""Impossible dates are refused alike by every channel (the page's form, the port's file, the
API): no date of importation, notice or disposition after today in the agency's day, and the
events in their order — each refusal naming its field (and, in a file, its row)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from withhold.detentions import services
from withhold.detentions.imports import read_rows
from withhold.detentions.models import Detention

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)
AGO = TODAY - dt.timedelta(days=10)


def form_data(acme, wro, officer, **overrides):
    data = {
        "entry_number": "ABC-1234567-8",
        "entry_line": "1",
        "port_of_entry": "2704 Los Angeles, CA",
        "imported_on": AGO.isoformat(),
        "notice_on": (AGO + dt.timedelta(days=2)).isoformat(),
        "importer": acme.pk,
        "country_of_origin": "CN",
        "merchandise": "Shirts",
        "hts_code": "6205.20",
        "quantity": "10",
        "quantity_unit": "pcs",
        "value_usd": "1000",
        "basis": "order",
        "orders": [wro.pk],
        "officer": officer.pk,
    }
    data.update(overrides)
    return data


def test_the_agency_day_decides_what_is_future(record, wro):
    """At 23:30 in Washington it is already tomorrow in UTC: a shipment imported "tomorrow" by
    UTC's day is still in the future for the agency."""
    with time_machine.travel(dt.datetime(2026, 6, 2, 3, 30, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError) as refused:
            record([wro], imported_on=dt.date(2026, 6, 2), notice_on=dt.date(2026, 6, 2))
        assert "after today (2026-06-01)" in refused.value.message_dict["imported_on"][0]
        assert record([wro], imported_on=dt.date(2026, 6, 1), notice_on=dt.date(2026, 6, 1))


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"imported_on": TOMORROW.isoformat(), "notice_on": TOMORROW.isoformat()}, "imported_on", "after today"),
        ({"notice_on": TOMORROW.isoformat()}, "notice_on", "after today"),
        ({"notice_on": (AGO - dt.timedelta(days=1)).isoformat()}, "notice_on", "before importation"),
    ],
)  # fmt: skip
def test_form_refuses_impossible_dates(overrides, field, words, acme, wro, port_officer, client):
    client.force_login(port_officer)
    response = client.post(
        "/detentions/new/", form_data(acme, wro, port_officer, **overrides), **HOST
    )
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors[field])
    assert Detention.objects.count() == 0


def test_api_refuses_impossible_dates(acme, wro, port_officer):
    api = APIClient()
    api.force_authenticate(port_officer)
    data = form_data(acme, wro, port_officer, notice_on=TOMORROW.isoformat())
    data["orders"] = [wro.number]
    response = api.post("/api/detentions/", data, format="json")
    assert response.status_code == 400
    assert "after today" in str(response.json()["notice_on"])
    assert Detention.objects.count() == 0


def test_file_refuses_impossible_dates_by_row_and_field(acme, wro, port_officer):
    header = (
        "entry_number,port_of_entry,imported_on,notice_on,importer,country_of_origin,"
        "merchandise,hts_code,quantity,quantity_unit,value_usd,orders,officer"
    )
    line = (
        "{},2704 LA,{},{},Acme Imports LLC,CN,Shirts,6205.20,10,pcs,100,WRO-2026-0001,port_officer"
    )
    data = "\n".join(
        [
            header,
            line.format("ABC-1234567-8", AGO, AGO),
            line.format("ABC-1234568-0", TOMORROW, TOMORROW),
            line.format("ABC-1234569-1", AGO, AGO - dt.timedelta(days=1)),
        ]
    ).encode()
    with pytest.raises(services.ImportRefused) as refused:
        services.detentions_import(
            actor=port_officer, rows=read_rows(data, "port.csv"), file_name="port.csv"
        )
    named = {(row, column) for row, column, _message in refused.value.errors}
    assert named == {(3, "imported_on"), (3, "notice_on"), (4, "notice_on")}
    assert Detention.objects.count() == 0


@pytest.fixture
def detention(record, wro):
    return record([wro], imported_on=AGO, notice_on=AGO + dt.timedelta(days=2))


def test_disposition_in_the_future_is_refused_by_page_and_api(detention, port_officer, client):
    client.force_login(port_officer)
    response = client.post(
        f"/detentions/{detention.pk}/release/",
        {"on": TOMORROW.isoformat(), "reason": "Admissible."},
        **HOST,
    )
    assert response.status_code == 400
    assert "after today" in " ".join(response.context["form"].errors["on"])
    api = APIClient()
    api.force_authenticate(port_officer)
    answer = api.post(
        f"/api/detentions/{detention.pk}/steps/",
        {"step": "release", "on": TOMORROW.isoformat(), "reason": "Admissible."},
        format="json",
    )
    assert answer.status_code == 400
    assert "after today" in str(answer.json())
    detention.refresh_from_db()
    assert detention.status == Detention.Status.DETAINED


def test_disposition_before_importation_is_refused(detention, port_officer):
    with pytest.raises(Exception, match="before importation"):
        services.detention_release(
            detention=detention,
            actor=port_officer,
            on=AGO - dt.timedelta(days=1),
            reason="Admissible.",
        )
    detention.refresh_from_db()
    assert detention.disposed_on is None
