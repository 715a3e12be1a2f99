"""Acceptance test of the screening issue, in a real browser against a running server.

A targeting analyst uploads a file of entry lines; it is screened (in-process on this server, as
without a broker), the run page shows its progress and the hits with their reasons; a port
officer opens a hit and records the detention from the prefilled form in one step.
"""

import datetime as dt
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, PROJECT_DIR, _withhold

pytestmark = pytest.mark.browser

SETUP = """
import datetime as dt
import re
from django.contrib.auth.models import Group
from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.entities.models import Entity
from withhold.orders.models import Order, ScopeRule

for username, first, last, role in [
    ("scr-analyst", "Tara", "Targeter", Role.TARGETING_ANALYST),
    ("scr-officer", "Otto", "Officer", Role.PORT_OFFICER),
]:
    user = User.objects.create_user(username, password={password!r}, first_name=first, last_name=last)
    user.groups.set([Group.objects.get(name=role.label)])
Entity.objects.create(name="Screening Journey Imports LLC", country="US")
maker = Entity.objects.create(
    name="Screening Journey Garment Co., Ltd.", country="CN", address="Aksu, Xinjiang"
)
order = Order.objects.create(
    number="WRO-2026-0888", kind="wro", status="issued", issued_on=dt.date(2026, 1, 5),
    merchandise="Garments made by Screening Journey Garment", country="CN", industry="Apparel",
)
ScopeRule.objects.create(order=order, kind=ScopeRule.Kind.ENTITY, entity=maker)
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


def test_file_screened_hits_shown_and_one_turned_into_a_detention(
    page: Page, order_number: str, tmp_path
):
    imported = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    lines = tmp_path / "entries.csv"
    lines.write_text(
        "line_id,entry_number,entry_date,importer_name,manufacturer_name,manufacturer_address,"
        "country_of_origin,hts_code,description\n"
        f"J1,SJR-7654321-0,{imported},Screening Journey Imports LLC,"
        "SCREENING JOURNEY GARMENT CO LTD,Aksu,CN,6109100010,cotton t-shirts\n"
        f"J2,SJR-7654322-0,{imported},Screening Journey Imports LLC,Unlisted Knitwear Ltd,,VN,"
        "6110,sweaters\n"
        f"J3,SJR-7654323-0,not-a-date,Screening Journey Imports LLC,Someone,,CN,6109,shirts\n",
        encoding="utf-8",
    )

    log_in(page, "scr-analyst")
    page.goto("/screening/")
    page.locator("#id_file").set_input_files(str(lines))
    page.get_by_role("button", name="Screen the file").click()
    expect(page.locator("#run-progress")).to_contain_text("Done")
    expect(page.locator("#run-summary")).to_contain_text("2 lines screened")
    expect(page.get_by_text("Rows not screened")).to_be_visible()
    expect(page.locator("#hit-count")).to_have_text("1 entry line with hits")
    row = page.get_by_role("row").filter(has_text="J1")
    expect(row).to_contain_text(order_number)
    expect(row).to_contain_text("name 100; country CN agrees; address city agrees")
    expect(page.get_by_role("link", name="Record a detention")).to_have_count(0)
    run_url = page.url

    log_in(page, "scr-officer")
    page.goto(run_url)
    # The line hit the order (and may hit other bases too): the detention is recorded from the
    # order's hit.
    page.locator(".withhold-basis").filter(has_text=order_number).get_by_role(
        "link", name="Record a detention"
    ).click()
    expect(page.get_by_label("Entry number")).to_have_value("SJR-7654321-0")
    expect(page.get_by_label("Date of importation")).to_have_value(imported)
    expect(page.get_by_label("HTS code")).to_have_value("6109100010")
    expect(page.get_by_label("Country of origin")).to_have_value("CN")
    expect(page.get_by_label("Importer of record").locator("option:checked")).to_have_text(
        "Screening Journey Imports LLC (US)"
    )
    page.get_by_label("Port of entry").fill("2704 Los Angeles, CA")
    page.get_by_label("Date of the detention notice").fill(timezone.localdate().isoformat())
    page.get_by_label("Quantity").fill("500")
    page.get_by_label("Value (USD)").fill("9000")
    page.get_by_role("button", name="Record the detention").click()
    expect(page.locator("#detention-status")).to_have_text("Detained")
    expect(page.get_by_text(order_number).first).to_be_visible()


def test_a_long_file_shows_its_progress_then_the_result(page: Page, order_number: str, tmp_path):
    """Without a broker the upload answers at once: the run page follows the screening (status,
    lines screened, a progress bar) and then shows the hits, with no message saying otherwise."""
    imported = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    total = 40_000
    lines = tmp_path / "many-entries.csv"
    with lines.open("w", encoding="utf-8") as out:
        out.write(
            "line_id,entry_number,entry_date,importer_name,manufacturer_name,"
            "manufacturer_address,country_of_origin,hts_code,description\n"
        )
        out.write(
            f"L0,SJL-7000000-0,{imported},Screening Journey Imports LLC,"
            "SCREENING JOURNEY GARMENT CO LTD,Aksu,CN,6109100010,cotton t-shirts\n"
        )
        for i in range(1, total):
            out.write(
                f"L{i},SJL-{7000000 + i}-0,{imported},Screening Journey Imports LLC,"
                f"Unlisted Knitwear {i} Ltd,,VN,6110,sweaters\n"
            )

    log_in(page, "scr-analyst")
    page.goto("/screening/")
    page.locator("#id_file").set_input_files(str(lines))
    page.get_by_role("button", name="Screen the file").click()
    page.wait_for_url("**/screening/runs/**")
    progress = page.locator("#run-progress")
    # The page answered before the screening ended: it shows where the run is, not a result.
    expect(progress).to_contain_text(re.compile(r"Queued|Running"))
    expect(progress.locator("progress")).to_be_visible()
    expect(page.get_by_text("many-entries.csv", exact=False).first).to_be_visible()
    # Then the result, in the same page (it polls and reloads itself).
    expect(progress).to_contain_text("Done", timeout=180_000)
    expect(page.locator("#run-summary")).to_contain_text(f"{total} lines screened")
    expect(page.locator("#hit-count")).to_have_text("1 entry line with hits")
    body = page.locator("main").inner_text()
    assert "has started" not in body and "Running" not in body
