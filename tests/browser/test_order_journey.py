"""Acceptance test of the enforcement-orders issue, in a real browser against a running server.

A case already in legal review is taken to an issued WRO: a supervisor drafts the order and its
scope, counsel records the opinion (memo uploaded), the approving official approves and issues;
then a supervisor partially revokes it for one importer. An anonymous visitor sees both on the
public register, and none of the sensitive facts.
"""

import datetime as dt
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, PROJECT_DIR, _withhold

pytestmark = pytest.mark.browser

SECRET = "INFORMANT-NAME-5521"
SETUP = """
import datetime as dt
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.cases import services
from withhold.entities.models import Entity
from withhold.evidence import services as evidence_services
from withhold.reference.models import Commodity

people = {{}}
for username, first, last, role in [
    ("orders-analyst", "Olga", "Analyst", Role.CASE_ANALYST),
    ("orders-supervisor", "Otto", "Supervisor", Role.SUPERVISOR),
    ("orders-counsel", "Cora", "Counsel", Role.CHIEF_COUNSEL),
    ("orders-approver", "Avery", "Approver", Role.APPROVING_OFFICIAL),
]:
    user = User.objects.create_user(username, password={password!r}, first_name=first, last_name=last)
    user.groups.set([Group.objects.get(name=role.label)])
    people[username] = user
analyst, supervisor = people["orders-analyst"], people["orders-supervisor"]
case = services.case_create(
    actor=supervisor, title="Journey garments {secret}",
    allegation_summary="Workers' passports are held by the factory {secret}.",
    commodity=Commodity.objects.get(name="Garments"), source_country="CN", referral_source="ngo",
    received_on=timezone.localdate() - dt.timedelta(days=40), assigned_analyst=analyst,
    supervisor=supervisor,
)
evidence_services.evidence_add(case=case, actor=analyst, kind="ngo_report", source="ngo_report",
    obtained_on=timezone.localdate(), description="Workers describe held passports.",
    language="English", source_reliability="B", information_credibility="2")
factory = Entity.objects.create(name="Journey Apparel Factory Co.", country="CN")
services.case_entity_link(case=case, entity=factory, role="manufacturer", actor=analyst)
services.case_phase_change(case=case, to_phase="investigation", actor=analyst)
services.case_hsi_referral_record(case=case, actor=analyst, notified_on=timezone.localdate())
services.case_update(case=case, actor=analyst, ilo_indicators=[3, 7], estimated_annual_import_value=90000)
services.case_document_add(case=case, actor=analyst, kind="allegation_report", title="Report",
    uploaded_file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 report %%EOF"))
services.case_phase_change(case=case, to_phase="legal_review", actor=analyst)
print(case.number)
"""


@pytest.fixture(scope="module")
def case_number(server_url, server_env) -> str:
    result = subprocess.run(
        _withhold("shell", "-c", SETUP.format(password=PASSWORD, secret=SECRET)),
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


def test_case_to_issued_wro_then_partial_revocation_on_the_public_register(
    page: Page, case_number: str, tmp_path
):
    today = timezone.localdate()
    log_in(page, "orders-supervisor")
    page.goto("/orders/new/")
    page.get_by_label("Kind of order").select_option("wro")
    page.get_by_label("Backing case number").fill(case_number)
    page.locator("#id_merchandise").fill("Garments produced by Journey Apparel Factory")
    page.get_by_label("Country of production").select_option("CN")
    page.get_by_label("Internal notes (law-enforcement-sensitive, never published)").fill(SECRET)
    page.get_by_role("button", name="Draft the order").click()
    expect(page.locator("#order-status")).to_have_text("Draft")
    number = page.get_by_role("heading", level=1).inner_text().split(" · ")[0]

    page.get_by_role("link", name="Add a scope rule").click()
    page.get_by_label("Kind of rule").select_option("entity")
    page.locator("#id_entity").select_option(label="Journey Apparel Factory Co. (CN)")
    page.get_by_role("button", name="Add the rule").click()
    expect(page.locator("#scope-rules")).to_contain_text("Journey Apparel Factory Co.")
    page.get_by_role("button", name="Send to legal review").click()
    expect(page.locator("#order-status")).to_have_text("In legal review")

    log_in(page, "orders-counsel")
    page.goto(f"/orders/{number}/")
    expect(page.get_by_role("link", name="Approve or reject")).to_have_count(0)
    page.get_by_role("link", name="Record the legal opinion").click()
    page.locator("label[for=id_sufficient_0]").click()
    page.get_by_text("Reasonable but not conclusive (19 CFR 12.42(e))").click()
    page.get_by_label("Reasoning in brief").fill(f"Meets the standard. {SECRET}")
    memo = tmp_path / "memo.pdf"
    memo.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
    page.locator("#id_memo").set_input_files(str(memo))
    page.get_by_role("button", name="Record the opinion").click()
    expect(page.locator("#legal-review")).to_contain_text("sufficient")

    log_in(page, "orders-approver")
    page.goto(f"/orders/{number}/")
    expect(page.get_by_role("link", name="Record the legal opinion")).to_have_count(0)
    page.get_by_role("link", name="Approve or reject").click()
    page.get_by_text("Approved", exact=True).click()
    page.get_by_label("Planned issuance date").fill((today + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#order-status")).to_have_text("Approved")
    expect(page.locator("#coordination li")).to_have_count(6)
    page.get_by_role("link", name="Issue the order").click()
    expect(page.locator("#open-coordination li")).to_have_count(6)
    page.get_by_role("button", name="Issue the order").click()
    expect(page.locator("#order-status")).to_have_text("Issued (active)")
    expect(page.locator("#backing-cases")).to_contain_text("4 · Implementation")

    log_in(page, "orders-supervisor")
    page.goto(f"/orders/{number}/")
    page.get_by_role("link", name="Modify or revoke").click()
    page.get_by_text("Partial revocation", exact=True).click()
    page.get_by_label("What changed and why (public)").fill(
        "Garments imported by Example Retail Imports LLC are removed from the order."
    )
    page.get_by_label("Exclude goods imported by").fill("Example Retail Imports LLC")
    page.get_by_role("button", name="Record the change").click()
    expect(page.locator("#order-status")).to_have_text("Partially revoked")

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Public register of orders and findings").first.click()
    page.get_by_label("Search").fill("Journey")
    page.get_by_role("button", name="Apply filters").click()
    row = page.locator("#register-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Partially revoked")
    expect(row).to_contain_text("Example Retail Imports LLC")
    row.get_by_role("link").click()
    expect(page.locator("#register-status")).to_have_text("Partially revoked")
    expect(page.locator("#register-changes")).to_contain_text("Partial revocation")
    expect(page.locator("#register-exclusions")).to_contain_text("Example Retail Imports LLC")
    for text in (SECRET, case_number, "Meets the standard"):
        assert text not in page.content()
    page.goto("/register/?q=Journey&format=json")
    assert number in page.content() and SECRET not in page.content()
    assert case_number not in page.content()
