"""Numbers in query strings and forms are read as the file parsers read them (``core.numbers``):
an id too large for the database, a superscript or another script's digits is a message on the
page, never a server error."""

from urllib.parse import quote

import pytest
from django import forms

from withhold.core.forms import IdField, WholeNumberField
from withhold.core.numbers import ID_MAX

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


class _Form(forms.Form):
    number = WholeNumberField(label="Year", required=False)
    row = IdField(required=False)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"number": "2026"}, {"number": 2026, "row": None}),
        ({"number": " 1,000 "}, {"number": 1000, "row": None}),
        ({"row": str(ID_MAX)}, {"number": None, "row": ID_MAX}),
    ],
)
def test_form_fields_read_plain_numbers(data, expected):
    form = _Form(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == expected


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"number": "²"}, "number", "“²” is not a whole number (use the digits 0-9)."),
        ({"number": "٢٠٢٦"}, "number", "“٢٠٢٦” is not a whole number (use the digits 0-9)."),
        ({"number": str(ID_MAX + 1)}, "number", "less than or equal to"),
        ({"row": str(ID_MAX + 1)}, "row", "less than or equal to"),
        ({"row": "0"}, "row", "greater than or equal to 1"),
        ({"row": "1²"}, "row", "is not a whole number"),
    ],
)
def test_form_fields_refuse_what_is_not_a_number(data, field, message):
    form = _Form(data)
    assert not form.is_valid()
    assert message in form.errors[field][0]


@pytest.mark.parametrize("entity", ["99999999999999999999", str(ID_MAX + 1), quote("²"), "-1"])
def test_case_list_with_an_impossible_entity_filter_says_so(client, case_analyst, entity):
    CaseFactory(title="Visible cotton case", assigned_analyst=case_analyst)
    client.force_login(case_analyst)
    response = client.get(f"/cases/?entity={entity}", **HOST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Entity:" in page


@pytest.mark.parametrize("ids", ["ids=%C2%B2&ids=%C2%B3", f"ids={ID_MAX + 1}&ids=1"])
def test_scenario_comparison_with_impossible_ids_asks_for_two_scenarios(client, supervisor, ids):
    client.force_login(supervisor)
    response = client.get(f"/workforce/scenarios/compare/?{ids}", follow=True, **HOST)
    assert response.status_code == 200
    assert "Choose at least two scenarios to compare." in response.content.decode()


@pytest.mark.parametrize("scenario", [quote("²"), str(ID_MAX + 1)])
def test_workforce_report_with_an_impossible_scenario_shows_the_model(client, supervisor, scenario):
    client.force_login(supervisor)
    response = client.get(f"/workforce/report/?scenario={scenario}", **HOST)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (quote("²"), "is not a whole number"),
        (quote("٢٠٢٦"), "is not a whole number"),
        ("99999999999999999999", "less than or equal to 2100"),
    ],
)
def test_detention_statistics_with_an_impossible_year_names_it(client, port_officer, year, message):
    client.force_login(port_officer)
    response = client.get(f"/detentions/statistics/?year={year}", **HOST)
    assert response.status_code == 200
    assert message in response.content.decode()
