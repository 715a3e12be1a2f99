"""Acceptance test of the evidence issue, in a real browser against a running server.

An analyst adds evidence with a file to a case, links two of its entities, sees the supply-chain
graph and the indicator matrix change on the case page, moves the case into investigation (its
evidence source now comes from the evidence), generates the allegation report and moves the case
into legal review.
"""

import subprocess

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, PROJECT_DIR, _withhold

pytestmark = pytest.mark.browser

SETUP = """
import datetime as dt
from django.contrib.auth.models import Group
from django.utils import timezone
from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.cases import services
from withhold.entities.models import Entity
from withhold.reference.models import Commodity

analyst = User.objects.create_user("evidence-analyst", password={password!r}, first_name="Eva", last_name="Analyst")
analyst.groups.set([Group.objects.get(name=Role.CASE_ANALYST.label)])
supervisor = User.objects.create_user("evidence-supervisor", password={password!r}, first_name="Sam", last_name="Supervisor")
supervisor.groups.set([Group.objects.get(name=Role.SUPERVISOR.label)])
case = services.case_create(
    actor=supervisor, title="Evidence journey yarn",
    allegation_summary="Workers at the spinning mill say their passports are held.",
    commodity=Commodity.objects.get(name="Garments"), source_country="CN", referral_source="ngo",
    received_on=timezone.localdate() - dt.timedelta(days=30), assigned_analyst=analyst,
    supervisor=supervisor,
)
mill = Entity.objects.create(name="Journey Spinning Mill", country="CN")
factory = Entity.objects.create(name="Journey Garment Factory", country="CN")
services.case_entity_link(case=case, entity=mill, role="processor", actor=analyst)
services.case_entity_link(case=case, entity=factory, role="manufacturer", actor=analyst)
services.case_hsi_referral_record(case=case, actor=analyst, notified_on=timezone.localdate())
services.case_update(case=case, actor=analyst, ilo_indicators=[7], estimated_annual_import_value=50000)
print(case.number)
"""


@pytest.fixture(scope="module")
def case_number(server_url, server_env) -> str:
    result = subprocess.run(
        _withhold("shell", "-c", SETUP.format(password=PASSWORD)),
        cwd=PROJECT_DIR,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        pytest.fail(f"setup failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def move(page: Page, number: str, label: str) -> None:
    page.goto(f"/cases/{number}/")
    page.wait_for_load_state()  # htmx is wired up once the deferred scripts have run
    page.get_by_role("link", name=f"Move to {label}", exact=True).click()
    page.locator("#transition-dialog").get_by_role("button", name="Confirm").click()
    expect(page.locator("#case-phase")).to_have_text(label)


def test_evidence_with_file_links_graph_matrix_report_and_legal_review(
    page: Page, case_number: str, tmp_path
):
    log_in(page, "evidence-analyst")
    page.goto(f"/cases/{case_number}/")
    section = page.locator("#evidence-section")
    indicator = section.locator('tr[data-indicator="7"] td[data-total]')
    expect(indicator).to_have_attribute("data-total", "0")
    expect(section.locator(".supply-edge")).to_have_count(0)

    section.get_by_role("link", name="Evidence, supply-chain links, trade data").click()
    form = page.locator("#evidence-form")
    form.locator("#id_kind").select_option("interview_summary")
    form.locator("#id_source").select_option("interview")
    form.locator("#id_description").fill("Three workers say the mill keeps their passports.")
    form.locator("label", has_text="Retention of identity documents").click()
    form.locator("#id_source_reliability").select_option("B")
    form.locator("#id_information_credibility").select_option("2")
    statement = tmp_path / "interviews.pdf"
    statement.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
    form.locator("#id_file").set_input_files(str(statement))
    form.get_by_role("button", name="Add evidence").click()
    expect(page.locator("#evidence-table")).to_contain_text("interviews.pdf")

    page.locator("#supply-map summary", has_text="Add a supply link").click()
    link_form = page.locator("#supply-link-form")
    link_form.locator("#id_supplier").select_option(label="Journey Spinning Mill (CN)")
    link_form.locator("#id_buyer").select_option(label="Journey Garment Factory (CN)")
    link_form.locator("#id_goods").fill("Cotton yarn")
    link_form.locator("label", has_text="Interview summary").click()
    link_form.get_by_role("button", name="Add link").click()
    expect(page.locator("#supply-links")).to_contain_text("Cotton yarn")

    page.goto(f"/cases/{case_number}/")
    expect(indicator).to_have_attribute("data-total", "1")
    expect(section.locator(".supply-edge")).to_have_count(1)
    expect(section.locator(".supply-edge")).to_contain_text("Cotton yarn (1)")

    move(page, case_number, "2 · Investigation")
    page.goto(f"/cases/{case_number}/evidence/")
    page.get_by_role("link", name="Allegation report").click()
    expect(page.locator("#allegation-report")).to_contain_text("Three workers say")
    page.get_by_role("button", name="Generate the PDF and attach it to the case").click()
    expect(page.locator("#documents")).to_contain_text("Allegation report")
    move(page, case_number, "3 · Legal review")
