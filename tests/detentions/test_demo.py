import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from withhold.accounts.models import User
from withhold.detentions.models import CongressReport, Detention

pytestmark = pytest.mark.django_db


def test_load_demo_adds_labelled_demo_detentions_the_demo_importer_sees(client):
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # twice: nothing doubled
    # The detentions app's own demo (the UFLPA statistics add theirs, numbered DMU-).
    demo = Detention.objects.filter(is_demo=True, entry_number__startswith="DMO-")
    section_307 = demo.exclude(basis="uflpa")
    assert sorted(section_307.values_list("status", flat=True)) == [
        "detained",
        "released",
        "under_review",
    ]
    uflpa = demo.filter(basis="uflpa").order_by("presented_on")
    assert uflpa.count() == 4
    assert all(d.merchandise.startswith("DEMO ") for d in uflpa)
    # load-reference loaded the UFLPA Entity List: one demo detention relies on its first entry.
    assert uflpa.filter(uflpa_nexus="listed_entity", uflpa_list_row=2).count() == 1
    oldest = uflpa.first()
    deemed = oldest.uflpa_clocks(timezone.localdate()).deemed_excluded_on
    assert deemed == oldest.presented_on + dt.timedelta(days=30)
    client.force_login(User.objects.get(username="importer"))
    page = client.get("/detentions/", HTTP_HOST="127.0.0.1").content.decode()
    assert page.count("DMO-") == 7 and "demo" in page
    assert f"Deemed excluded on {deemed:%Y-%m-%d}" in page


def test_load_demo_shows_both_uflpa_paths_and_a_published_demo_report(client):
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    shirts = Detention.objects.get(
        is_demo=True, entry_number__startswith="DMO-", merchandise="DEMO men's cotton shirts"
    )
    assert shirts.uflpa_requests.get().path == "applicability_review"
    assert shirts.status == "proof_submitted"
    panels = Detention.objects.get(
        is_demo=True, entry_number__startswith="DMO-", merchandise="DEMO solar panels"
    )
    assert panels.status == "released"
    report = CongressReport.objects.get(request__detention=panels)
    assert report.is_demo and report.state == "sent"
    page = client.get("/uflpa-exceptions/", HTTP_HOST="127.0.0.1").content.decode()
    assert report.number in page and "DEMO" in page
