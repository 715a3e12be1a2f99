"""Acceptance test of the allegation-intake issue, in a real browser against a running server.

An anonymous submitter sends a report with an attachment, reads the receipt, comes back with the
receipt number and follow-up code to see its status; an intake analyst then opens a case from it,
and the case's fields come from the report.
"""

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, PROJECT_DIR, _withhold

pytestmark = pytest.mark.browser

INTAKE_USER_SNIPPET = """
from django.contrib.auth.models import Group
from withhold.accounts.models import User
from withhold.accounts.roles import Role

user, _ = User.objects.get_or_create(username="intake", defaults={{"first_name": "Ida", "last_name": "Intake"}})
user.set_password({password!r})
user.save()
user.groups.set([Group.objects.get(name=Role.INTAKE_ANALYST.label)])
"""

REASONS = (
    "Workers at the mill told me in March 2025 that managers keep their passports when they "
    "arrive, take recruitment fees out of their wages for the first year, and lock the dormitory "
    "gates at night so nobody can leave. I worked there for four months and saw the locked gates "
    "and the passport safe in the office myself."
)


@pytest.fixture(scope="module")
def intake_analyst(server_url, server_env):
    result = subprocess.run(
        _withhold("shell", "-c", INTAKE_USER_SNIPPET.format(password=PASSWORD)),
        cwd=PROJECT_DIR,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return "intake"


def test_anonymous_report_becomes_a_case(page: Page, intake_analyst, tmp_path):
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")

    # The submitter: no account.
    page.goto("/report/")
    expect(page.get_by_role("heading", name="Report goods made with forced labor")).to_be_visible()
    expect(page.get_by_text("Privacy notice")).to_be_visible()
    page.get_by_label("Why do you believe these goods are made with forced labor?").fill(REASONS)
    # USWDS draws its own checkboxes and radios on the label; the real input sits off-screen.
    page.locator("label", has_text="Retention of identity documents").click()
    expect(page.get_by_label("Retention of identity documents")).to_be_checked()
    page.get_by_label("Describe the goods").fill(
        "Combed cotton yarn, 30s count, wound on paper cones and packed in woven bags"
    )
    page.get_by_label("Tariff (HTS) code, if you know it").fill("5205")
    page.get_by_label("Producer or manufacturer").fill("Example Spinning Mill Co., Ltd.")
    page.get_by_label("Its address").fill("12 Mill Road, Example Town")
    page.get_by_label("Country of production").select_option(label="China")
    page.get_by_label("Other companies in the supply chain").fill("Example Trading Co.")
    page.get_by_label("When were the goods made or shipped?").fill("Spring 2025")
    page.locator("label", has_text="Worker or worker representative").click()
    page.locator("label", has_text="No: I report anonymously").click()

    # Check first: the page says how complete each element is.
    page.get_by_role("button", name="Check my report").click()
    expect(page.locator("#report-check")).to_contain_text("Reasons for your belief")
    page.locator("input[name=attachments]").set_input_files(str(statement))
    page.get_by_role("button", name=re.compile("Send")).click()

    # The receipt, shown once.
    expect(page.get_by_role("heading", name="Thank you: your report was received")).to_be_visible()
    receipt = page.locator("#receipt-number").inner_text().strip()
    code = page.locator("#follow-up-code").inner_text().strip()
    assert re.fullmatch(r"FLA-\d{4}-\d{6}", receipt)

    # Back later with receipt and code.
    page.get_by_role("link", name="Check a report").first.click()
    page.get_by_label("Receipt number").fill(receipt)
    page.get_by_label("Follow-up code").fill(code)
    page.get_by_role("button", name="See my report").click()
    expect(page.locator("#report-status")).to_have_text("Received")
    expect(page.get_by_text("statement.pdf")).to_be_visible()

    # The intake analyst signs in and opens a case from it.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(intake_analyst)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Allegations").first.click()
    page.get_by_role("link", name=receipt).click()
    expect(page.locator("#reasons")).to_contain_text("passport safe")
    page.get_by_role("link", name="Open a case from this allegation").click()
    expect(page.get_by_label("Commodity")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Commodity").select_option(label="Cotton (HS 5201)")
    page.get_by_role("button", name="Open case").click()

    expect(page).to_have_url(re.compile(r"/cases/FL-\d{4}-[0-9A-HJKMNP-TV-Z]{6}/$"))
    summary = page.locator("#summary")
    expect(summary).to_contain_text("China")
    expect(summary).to_contain_text("Anonymous tip")
    expect(page.get_by_text("Example Spinning Mill Co., Ltd.").first).to_be_visible()
    expect(page.get_by_text(f"Case opened from allegation {receipt}")).to_be_visible()
    expect(page.get_by_text("passport safe").first).to_be_visible()
