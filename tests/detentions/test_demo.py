import io

import pytest
from django.core.management import call_command

from withhold.accounts.models import User
from withhold.detentions.models import Detention

pytestmark = pytest.mark.django_db


def test_load_demo_adds_labelled_demo_detentions_the_demo_importer_sees(client):
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # twice: nothing doubled
    demo = Detention.objects.filter(is_demo=True)
    assert sorted(demo.values_list("status", flat=True)) == ["detained", "released", "under_review"]
    client.force_login(User.objects.get(username="importer"))
    page = client.get("/detentions/", HTTP_HOST="127.0.0.1").content.decode()
    assert page.count("DMO-") == 3 and "demo" in page
