"""The case list's commodity and analyst filters, and the task owner list, are kept in the
shared cache: a new commodity or analyst shows on the next page, a removed one is refused."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from withhold.accounts.roles import Role
from withhold.cases.forms import CaseFilterForm
from withhold.reference.models import Commodity

from ..factories import CommodityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "SHARED_CACHE_SECONDS": 300}


def options(page: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select[^>]* name="{name}".*?</select>', page, re.S)
    assert select, f"no {name} filter"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[0]))


def case_list(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/cases/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_or_renamed_commodity_shows_in_the_filter_on_the_next_page(case_analyst):
    cotton = CommodityFactory(name="Cotton")
    assert options(case_list(case_analyst), "commodity")[str(cotton.pk)] == "Cotton (HS 5201)"
    tomatoes = CommodityFactory(name="Tomatoes", hs_code="")
    cotton.name = "Raw cotton"
    cotton.save()
    shown = options(case_list(case_analyst), "commodity")
    assert shown[str(tomatoes.pk)] == "Tomatoes"
    assert shown[str(cotton.pk)] == "Raw cotton (HS 5201)"


def test_an_analyst_given_or_losing_the_role_shows_in_the_filter_at_once(case_analyst, make_user):
    assert (
        case_analyst.get_full_name()
        or case_analyst.username in options(case_list(case_analyst), "analyst").values()
    )
    newcomer = make_user(None, username="newcomer", first_name="Nia", last_name="Okafor")
    assert str(newcomer.pk) not in options(case_list(case_analyst), "analyst")
    newcomer.groups.add(Group.objects.get(name=Role.CASE_ANALYST.label))
    assert options(case_list(case_analyst), "analyst")[str(newcomer.pk)] == "Nia Okafor"
    newcomer.groups.clear()
    assert str(newcomer.pk) not in options(case_list(case_analyst), "analyst")


def test_a_commodity_deleted_since_the_page_was_drawn_is_refused_not_an_error(case_analyst):
    gone = CommodityFactory(name="Discontinued")
    CaseFilterForm(None)["commodity"].as_widget()  # the list now holds it
    Commodity.objects.filter(pk=gone.pk).delete()
    form = CaseFilterForm({"commodity": str(gone.pk)})
    assert not form.is_valid()
    assert "commodity" in form.errors
