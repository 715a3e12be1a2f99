"""Acceptance test of the detentions issue, in a real browser against a running server.

A port officer records a detention under an issued WRO; the importer signs in and submits its
proof of admissibility; a CEE reviewer takes it into review and recommends release; the officer
releases the shipment; the statistics count it.
"""

import datetime as dt
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, PROJECT_DIR, _withhold

pytestmark = pytest.mark.browser

SETUP = """
import datetime as dt
from django.contrib.auth.models import Group
from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.detentions.models import ImporterAccount
from withhold.entities.models import Entity
from withhold.orders.models import Order

people = {{}}
for username, first, last, role in [
    ("det-officer", "Pat", "Officer", Role.PORT_OFFICER),
    ("det-reviewer", "Cee", "Reviewer", Role.PORT_OFFICER),
    ("det-importer", "Ivy", "Importer", Role.IMPORTER),
]:
    user = User.objects.create_user(username, password={password!r}, first_name=first, last_name=last)
    user.groups.set([Group.objects.get(name=role.label)])
    people[username] = user
company = Entity.objects.create(name="Harbor Desk Imports LLC", country="US")
ImporterAccount.objects.create(user=people["det-importer"], entity=company)
order = Order.objects.create(
    number="WRO-2026-0777", kind="wro", status="issued", issued_on=dt.date(2026, 1, 5),
    merchandise="Cotton shirts made by Harbor Desk Mill", country="CN", industry="Apparel",
)
print(order.number)
"""


@pytest.fixture(scope="module")
def order_number(server_url, server_env) -> str:
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


def test_detention_recorded_proved_recommended_released_and_counted(
    page: Page, order_number: str, tmp_path
):
    today = timezone.localdate()
    proof = tmp_path / "certificate.pdf"
    proof.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(b"%PDF-1.4\n2 0 obj <<>> endobj\n%%EOF\n")

    log_in(page, "det-officer")
    page.goto("/detentions/new/")
    page.get_by_label("Entry number").fill("JRN-1234567-8")
    page.get_by_label("Port of entry").fill("2704 Los Angeles, CA")
    page.get_by_label("Date of importation").fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_label("Date of the detention notice").fill(today.isoformat())
    page.get_by_label("Importer of record").select_option(label="Harbor Desk Imports LLC (US)")
    page.get_by_label("Country of origin").select_option("CN")
    page.locator("#id_merchandise").fill("Men's cotton shirts")
    page.get_by_label("HTS code").fill("6205.20")
    page.get_by_label("Quantity").fill("1200")
    page.get_by_label("Value (USD)").fill("48000")
    page.get_by_label("Order(s) applied").select_option(
        label=f"{order_number} Cotton shirts made by Harbor Desk Mill"
    )
    page.get_by_role("button", name="Record the detention").click()
    expect(page.locator("#detention-status")).to_have_text("Detained")
    expect(page.get_by_text("days left").first).to_be_visible()
    detention_url = page.url

    log_in(page, "det-importer")
    page.goto("/detentions/")
    page.get_by_role("link", name="JRN-1234567-8").click()
    page.get_by_role("link", name="Submit proof of admissibility").click()
    page.locator("#id_certificate_of_origin").set_input_files(str(proof))
    page.locator("#id_detailed_statement").set_input_files(str(statement))
    page.get_by_role("button", name="Submit proof").click()
    expect(page.locator("#detention-status")).to_have_text("Proof submitted")

    log_in(page, "det-reviewer")
    page.goto(detention_url)
    page.get_by_role("button", name="Start the review").click()
    expect(page.locator("#detention-status")).to_have_text("Under review")
    page.get_by_role("link", name="Recommend").click()
    page.get_by_label("Recommendation").select_option("release")
    page.get_by_label("Reasons").fill("Certificate and statement trace the cotton to Egypt.")
    page.get_by_role("button", name="Record the recommendation").click()
    expect(page.locator("#recommendation")).to_have_text("Release")

    log_in(page, "det-officer")
    page.goto(detention_url)
    page.get_by_role("link", name="Release").click()
    page.get_by_label("Reason").fill("Admissible on the CEE's recommendation.")
    page.get_by_role("button", name="Release the shipment").click()
    expect(page.locator("#detention-status")).to_have_text("Released")
    expect(page.locator("#history")).to_contain_text("Recommendation recorded")

    page.goto("/detentions/statistics/")
    expect(page.locator("#stat-total")).to_contain_text("1 detention")
    expect(page.locator("#stat-outcome")).to_contain_text("Released")
    expect(page.locator("#stat-order")).to_contain_text(order_number)
