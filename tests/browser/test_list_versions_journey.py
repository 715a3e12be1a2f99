"""A new version of an entity list, in a real browser: a targeting analyst loads the list a
Federal Register notice changed, with the notice's effective date; the versions page counts what
it added and removed, the diff names them, and the removed entry's page says it is gone."""

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
from withhold.screening.services import entity_list_load

user = User.objects.create_user("versions-analyst", password={password!r}, first_name="Vera",
                                last_name="Versions")
user.groups.set([Group.objects.get(name=Role.TARGETING_ANALYST.label)])
entity_list_load(
    actor=None, source="fr-notice", file_name="notice-1.csv",
    data=b"number,name,country\\n1,Kept Cotton Mill Ltd,CN\\n2,Delisted Spinning Co Ltd,CN\\n",
    effective_on=dt.date(2024, 6, 1),
)
print("ready")
"""


@pytest.fixture(scope="module")
def listed(server_url, server_env) -> None:
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


def test_a_new_version_is_loaded_compared_and_its_removal_shown(page: Page, listed, tmp_path):
    notice = tmp_path / "notice-2.csv"
    notice.write_text(
        "number,name,country\n1,Kept Cotton Mill Ltd,CN\n3,Added Polysilicon Co Ltd,CN\n",
        encoding="utf-8",
    )
    log_in(page, "versions-analyst")
    page.goto("/screening/lists/")
    page.get_by_label("Source").fill("fr-notice")
    page.locator("#id_file").set_input_files(str(notice))
    page.get_by_label("Effective date").fill("2025-01-15")
    page.get_by_role("button", name="Load the list").click()
    expect(page.locator(".usa-alert--success")).to_contain_text(
        "List “fr-notice” version 2: 2 entries loaded."
    )

    page.get_by_role("link", name="version 2").click()
    newest = page.locator("#version-2")
    expect(newest).to_contain_text("2025-01-15")
    expect(newest).to_contain_text("current")
    expect(page.locator("#version-1")).to_contain_text("first version kept")

    newest.get_by_role("link", name="Compare with the version before").click()
    expect(page.locator("#diff-summary")).to_contain_text("1 added, 1 removed, 0 changed")
    expect(page.locator("#changes tbody tr.change-removed")).to_contain_text(
        "Delisted Spinning Co Ltd"
    )
    expect(page.locator("#changes tbody tr.change-added")).to_contain_text(
        "Added Polysilicon Co Ltd"
    )

    page.locator("#changes tr.change-removed").get_by_role("link", name="#2").click()
    expect(page.locator("h1")).to_contain_text("Delisted Spinning Co Ltd")
    expect(page.locator("#entry-standing")).to_contain_text(
        "Removed: the current list (version 2) no longer holds this entry."
    )
