"""The deadline rules page: the rule table with citations and the periods in force, the federal
holidays, and the calculator (a UFLPA shipment presented before Thanksgiving, a deemed
exclusion and its protest window, refused input named by field)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from withhold.accounts.roles import Role
from withhold.core import clocks

pytestmark = pytest.mark.django_db
URL = reverse("core:deadline_rules")


@pytest.fixture
def page(client, make_user):
    client.force_login(make_user(Role.PORT_OFFICER))

    def get(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_every_rule_is_listed_with_its_citation(page):
    html = page()
    for rule in clocks.RULES:
        row = html.split(f'id="rule-{rule.code}"')[1].split("</tr>")[0]
        assert rule.name in row and rule.citation in row
    row = html.split('id="rule-uflpa_detention_decision"')[1].split("</tr>")[0]
    assert "5 business days" in row and "after" in row


def test_the_period_in_force_follows_the_agency_setting(page, settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "INTAKE_TRIAGE_DAYS": 7}
    row = page().split('id="rule-allegation_forwarding"')[1].split("</tr>")[0]
    assert "7 calendar days" in row and "agency setting" in row


def test_the_federal_holidays_of_this_year_and_the_next_are_listed(page):
    year = timezone.localdate().year
    table = page().split('id="federal-holidays"')[1].split("</table>")[0]
    for day, name in clocks.federal_holidays(year, year + 1):
        assert f"{day:%Y-%m-%d}</td><td>{escape(name)}" in table
    assert table.count("Thanksgiving Day") == 2
    assert f"Federal holidays, {year} and {year + 1}" in page()


def test_counting_five_business_days_over_thanksgiving(page):
    html = page(rule="uflpa_detention_decision", start="2026-11-25")
    result = html.split('id="deadline-result"')[1].split("</div>\n</div>")[0]
    assert "Wednesday 2026-11-25" in result
    assert "the last day is <strong>Thursday 2026-12-03</strong>" in result
    assert "Thu 2026-11-26: Thanksgiving Day" in result


def test_a_final_decision_clock_names_the_protest_window_it_opens(page):
    result = page(rule="uflpa_admissibility_decision", start="2026-01-01").split(
        'id="deadline-result"'
    )[1]
    assert "the last day is <strong>Saturday 2026-01-31</strong>" in result
    assert "That day has passed. The goods are deemed excluded on the 30th day" in result
    assert "Protest an exclusion, until 2026-07-30" in result


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rule": "uflpa_detention_decision", "start": "1850-01-01"}, "Day the clock starts: Give a day from 1900-01-01 to 2100-12-31."),
        ({"rule": "uflpa_detention_decision", "start": "25/11/2026"}, "Day the clock starts: Enter a valid date."),
        ({"rule": "no_such_rule", "start": "2026-11-25"}, "Rule: Select a valid choice."),
    ],
)  # fmt: skip
def test_refused_input_is_named_by_field(page, params, message):
    html = page(**params)
    assert message in html
    assert 'id="deadline-result"' not in html


def test_the_page_is_reached_from_my_work_and_the_deadline_desk(client, make_user):
    client.force_login(make_user(Role.PORT_OFFICER))
    for source in (reverse("cases:my_work"), reverse("detentions:desk")):
        assert f'href="{URL}"' in client.get(source).content.decode(), source
