"""The hit list a targeting analyst reads, in a real browser: one row per entry line with all its
bases (order, entity list, CAATSA) grouped; a hit judged a false positive in place, then hidden
but counted and one click away; the unjudged filter; the entity list browsed by its numbers."""

import subprocess

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, PROJECT_DIR, _withhold
from .test_screening_journey import log_in

pytestmark = pytest.mark.browser

SETUP = """
import datetime as dt
from django.contrib.auth.models import Group
from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.entities.models import Entity
from withhold.orders.models import Order, ScopeRule
from withhold.screening.services import entity_list_load

user = User.objects.create_user("hits-analyst", password={password!r}, first_name="Hana",
                                last_name="Hits")
user.groups.set([Group.objects.get(name=Role.TARGETING_ANALYST.label)])
maker = Entity.objects.create(name="Grouped Hits Textile Co., Ltd.", country="CN")
order = Order.objects.create(
    number="WRO-2026-0889", kind="wro", status="issued", issued_on=dt.date(2026, 1, 5),
    merchandise="Textiles made by Grouped Hits Textile", country="CN", industry="Apparel",
)
ScopeRule.objects.create(order=order, kind=ScopeRule.Kind.ENTITY, entity=maker)
entity_list_load(
    actor=None, source="hits-journey", file_name="hits.csv",
    data=b"name,country\\nFirst Listed Mill Ltd,CN\\nSecond Listed Mill Ltd,CN\\n"
         b"Grouped Hits Textile Co Ltd,CN\\n",
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


def test_one_row_per_line_with_its_bases_and_a_false_positive_judged_in_place(
    page: Page, order_number: str, tmp_path
):
    lines = tmp_path / "grouped.csv"
    lines.write_text(
        "line_id,manufacturer_name,manufacturer_address,country_of_origin,description\n"
        "G1,GROUPED HITS TEXTILE CO LTD,Pyongyang,CN,cotton fabric\n"
        "G2,Unlisted Weaving Ltd,,VN,fabric\n",
        encoding="utf-8",
    )
    log_in(page, "hits-analyst")
    page.goto("/screening/")
    page.locator("#id_file").set_input_files(str(lines))
    page.get_by_role("button", name="Screen the file").click()
    expect(page.locator("#run-progress")).to_contain_text("Done")
    expect(page.locator("#hit-count")).to_have_text("1 entry line with hits")
    row = page.locator("tr.withhold-hit-line")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("G1")
    bases = row.locator("li.withhold-basis")
    expect(bases).to_have_count(3)
    expect(bases.filter(has_text=order_number)).to_contain_text("not judged")
    expect(bases.filter(has_text="hits-journey #3")).to_be_visible()  # the list's own number
    expect(bases.filter(has_text="CAATSA 302A")).to_be_visible()

    listed = bases.filter(has_text="hits-journey #3")
    listed.get_by_text("Judge this hit").click()
    listed.locator("label", has_text="False positive").click()  # USWDS styles the label
    listed.get_by_label("Note").fill("Checked the address: a different mill.")
    listed.get_by_role("button", name="Record the judgement").click()

    expect(page.locator(".usa-alert--success")).to_contain_text("false positive")
    expect(page.locator("tr.withhold-hit-line li.withhold-basis")).to_have_count(2)
    expect(page.locator("#suppressed")).to_contain_text("1 hit judged a false positive is hidden.")
    page.get_by_label("Judgement", exact=True).select_option("unjudged")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tr.withhold-hit-line li.withhold-basis")).to_have_count(2)
    page.goto(page.url.split("?")[0])
    page.get_by_role("link", name="Review them").click()
    reviewed = page.locator("tr.withhold-hit-line li.withhold-basis")
    expect(reviewed).to_have_count(1)
    expect(reviewed).to_contain_text("judged false positive")

    page.goto("/screening/lists/hits-journey/?q=Grouped")
    expect(page.locator("#entries tbody tr")).to_have_count(1)
    expect(page.locator("#entries tbody tr")).to_contain_text("hits-journey #3")
