"""Acceptance test of the UFLPA paths, in a real browser against a running server.

(a) A targeting analyst screens an entry file; a line's manufacturer is on the UFLPA Entity List
(loaded by ``load-reference``); the port officer records a UFLPA detention from that hit in one
step (basis and nexus prefilled); the importer files an applicability review with its tracing
documents; a CEE reviewer takes it into review and recommends release; the officer releases.
(b) On another the importer requests an exception; after the CEE's recommendation the approving
official grants it, which releases the goods and opens the report to Congress due in 30 days;
the official marks it sent and the report appears on the public register.
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
from decimal import Decimal
from django.contrib.auth.models import Group
from django.utils import timezone
from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.detentions import services
from withhold.detentions.models import ImporterAccount
from withhold.entities.models import Entity

people = {{}}
for username, first, last, role in [
    ("uf-officer", "Pat", "Officer", Role.PORT_OFFICER),
    ("uf-reviewer", "Cee", "Reviewer", Role.PORT_OFFICER),
    ("uf-importer", "Ivy", "Importer", Role.IMPORTER),
    ("uf-official", "Ada", "Official", Role.APPROVING_OFFICIAL),
    ("uf-targeter", "Tia", "Targeter", Role.TARGETING_ANALYST),
]:
    user = User.objects.create_user(username, password={password!r}, first_name=first, last_name=last)
    user.groups.set([Group.objects.get(name=role.label)])
    people[username] = user
company = Entity.objects.create(name="Lakeside Solar Imports LLC", country="US")
ImporterAccount.objects.create(user=people["uf-importer"], entity=company)
presented = timezone.localdate() - dt.timedelta(days=3)
for entry, merchandise, hts in [
    ("UFB-1234567-8", "Solar panels", "8541.43"),
]:
    services.detention_record(
        actor=people["uf-officer"], basis="uflpa", entry_number=entry, entry_line=1,
        port_of_entry="2704 Los Angeles, CA", imported_on=presented, presented_on=presented,
        notice_on=presented, importer=company, manufacturer=None, country_of_origin="CN",
        merchandise=merchandise, hts_code=hts, quantity=Decimal("500"), quantity_unit="pcs",
        value_usd=Decimal("25000"), uflpa_nexus="xuar_origin", xuar_input="Cotton yarn",
        xuar_evidence="Mill certificate names a mill in Aksu.", officer=people["uf-officer"],
    )
print("ok")
"""


@pytest.fixture(scope="module")
def seeded(server_url, server_env) -> None:
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


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def open_detention(page: Page, entry: str) -> str:
    page.goto("/detentions/")
    page.get_by_role("link", name=entry).click()
    return page.url


def pdf_file(tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
    return str(path)


def cee_recommends_release(page: Page, url: str) -> None:
    log_in(page, "uf-reviewer")
    page.goto(url)
    page.get_by_role("button", name="Start the review").click()
    expect(page.locator("#detention-status")).to_have_text("Under review")
    page.get_by_role("link", name="Recommend").click()
    page.get_by_label("Recommendation").select_option("release")
    page.get_by_label("Reasons").fill("Tracing reaches the raw material outside the XUAR.")
    page.get_by_role("button", name="Record the recommendation").click()
    expect(page.locator("#recommendation")).to_have_text("Release")


def test_uflpa_list_hit_detained_then_reviewed_and_released(page: Page, seeded, tmp_path):
    today = timezone.localdate()
    imported = today - dt.timedelta(days=4)
    lines = tmp_path / "uflpa-entries.csv"
    lines.write_text(
        "line_id,entry_number,entry_date,importer_name,manufacturer_name,manufacturer_address,"
        "country_of_origin,hts_code,description\n"
        f"U1,UFA-1234567-8,{imported},Lakeside Solar Imports LLC,"
        "Akesu Huafu Melange Yarn Co Ltd,,CN,6302600020,cotton bath towels\n",
        encoding="utf-8",
    )
    log_in(page, "uf-targeter")
    page.goto("/screening/")
    page.locator("#id_file").set_input_files(str(lines))
    page.get_by_role("button", name="Screen the file").click()
    expect(page.locator("#run-progress")).to_contain_text("Done")
    basis = page.locator(".withhold-basis").filter(has_text="uflpa #54")
    expect(basis).to_contain_text("Aksu Huafu Color Spinning")
    run_url = page.url

    log_in(page, "uf-officer")
    page.goto(run_url)
    page.locator(".withhold-basis").filter(has_text="uflpa #54").get_by_role(
        "link", name="Record a detention"
    ).click()
    expect(page.get_by_label("Entry number")).to_have_value("UFA-1234567-8")
    expect(page.get_by_label("Basis for detention")).to_have_value("uflpa")
    expect(page.get_by_label("UFLPA nexus")).to_have_value("listed_entity")
    expect(
        page.get_by_label("Entity on the UFLPA Entity List").locator("option:checked")
    ).to_contain_text("Aksu Huafu Color Spinning")
    page.get_by_label("Port of entry").fill("2704 Los Angeles, CA")
    page.get_by_label("Date presented for examination").fill(imported.isoformat())
    page.get_by_label("Date of the detention notice").fill(today.isoformat())
    page.get_by_label("Quantity").fill("800")
    page.get_by_label("Value (USD)").fill("12000")
    page.get_by_role("button", name="Record the detention").click()
    expect(page.locator("#detention-status")).to_have_text("Detained")
    expect(page.locator("body")).to_contain_text("Final admissibility decision due")
    url = page.url

    log_in(page, "uf-importer")
    page.goto(url)
    page.get_by_role("link", name="Request an applicability review").click()
    page.locator("#id_sector").select_option("cotton")
    page.locator("#id_statement").fill("Our cotton is grown and ginned in Queensland.")
    page.locator("#id_supply_chain").set_input_files(pdf_file(tmp_path, "map.pdf"))
    page.locator("#id_raw_material_origin").set_input_files(pdf_file(tmp_path, "gin.pdf"))
    page.get_by_role("button", name="Request an applicability review").click()
    expect(page.locator("#detention-status")).to_have_text("Proof submitted")
    expect(page.locator("#uflpa-requests")).to_contain_text("Applicability review")
    expect(page.locator("#checklist-missing")).to_contain_text("3 kinds of document still missing")

    cee_recommends_release(page, url)

    log_in(page, "uf-officer")
    page.goto(url)
    page.get_by_role("link", name="Release", exact=True).click()
    page.get_by_label("Reason").fill("Outside the presumption on the CEE's review.")
    page.get_by_role("button", name="Release the shipment").click()
    expect(page.locator("#detention-status")).to_have_text("Released")
    expect(page.locator("#uflpa-requests")).to_contain_text("Granted")

    log_in(page, "uf-importer")
    page.goto(url)
    expect(page.locator("#uflpa-requests")).to_contain_text("Outside the presumption")


def test_exception_granted_reported_to_congress_and_published(page: Page, seeded, tmp_path):
    today = timezone.localdate()
    log_in(page, "uf-importer")
    url = open_detention(page, "UFB-1234567-8")
    page.get_by_role("link", name="Request an exception").click()
    page.locator("#id_sector").select_option("polysilicon")
    page.locator("#id_statement").fill("Our polysilicon comes from a Norwegian plant.")
    page.locator("#id_guidance_compliance").fill("We applied every step of the guidance.")
    page.locator("#id_evidence_summary").fill("Audited quartzite mine and smelter payrolls.")
    page.locator("#id_supply_chain").set_input_files(pdf_file(tmp_path, "map.pdf"))
    page.locator("#id_due_diligence_system").set_input_files(pdf_file(tmp_path, "dd.pdf"))
    page.get_by_role("button", name="Request an exception").click()
    expect(page.locator("#uflpa-requests")).to_contain_text("Exception request")

    cee_recommends_release(page, url)

    log_in(page, "uf-official")
    page.goto(url)
    page.get_by_role("link", name="Decide the exception").click()
    page.locator("label[for=id_decision_0]").click()
    for name in ("complied_with_guidance", "answered_every_request", "clear_and_convincing"):
        page.locator(f"label[for=id_{name}]").click()
    page.locator("#id_finding").fill("The mine and smelter audits are clear and convincing.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#detention-status")).to_have_text("Released")
    page.locator("#congress-report-link a").click()
    due = today + dt.timedelta(days=30)
    expect(page.locator("#report-due")).to_contain_text(f"{due:%Y-%m-%d}")
    expect(page.locator("#report-due")).to_contain_text("30 days left")
    number = page.locator("h1").inner_text().split()[3].rstrip(":")
    page.get_by_role("link", name="Mark sent and publish").click()
    page.get_by_role("button", name="Mark sent and publish").click()
    expect(page.locator("#report-state")).to_have_text("Sent and published")

    page.context.clear_cookies()
    page.goto("/register/")
    page.get_by_role("link", name="reports of granted exceptions").click()
    page.get_by_role("link", name=number).click()
    expect(page.locator("#report-goods")).to_contain_text("Solar panels")
    expect(page.locator("#report-finding")).to_contain_text("clear and convincing")
    expect(page.locator("body")).not_to_contain_text("Lakeside Solar Imports")
