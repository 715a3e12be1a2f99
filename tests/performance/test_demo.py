import io

import pytest
from django.core.management import call_command

from withhold.accounts.models import User
from withhold.performance.models import OutreachActivity

pytestmark = pytest.mark.django_db


def test_load_demo_adds_labelled_made_up_outreach_the_dashboard_counts(client):
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # twice: nothing doubled
    demo = OutreachActivity.objects.filter(is_demo=True)
    assert demo.count() == 6
    assert all(a.title.startswith("DEMO ") for a in demo)
    client.force_login(User.objects.get(username="supervisor"))
    page = client.get("/performance/outreach/", HTTP_HOST="127.0.0.1").content.decode()
    assert "6 activities" in page and page.count('class="usa-tag">demo<') == 6
    dashboard = client.get("/performance/", HTTP_HOST="127.0.0.1")
    assert dashboard.status_code == 200
