"""Acceptance test of the foundation issue: a case analyst opens a case, is told what it lacks to
enter investigation, is refused when confirming anyway, supplies it, and moves the case on."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import ARTIFACTS_DIR, PASSWORD

pytestmark = pytest.mark.browser

ANALYST = "Ana Analyst"
SUPERVISOR = "Sam Supervisor"
ENTITY = "Example Spinning Mill Co."


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("link", name="Sign out").or_(page.get_by_role("button", name="Sign out"))
    ).to_be_visible()


def summary_value(page: Page, term: str) -> Locator:
    """The value shown against ``term`` in the case page's summary list."""
    return page.locator(f"#summary dt:text-is('{term}') + dd")


def test_analyst_opens_a_case_and_moves_it_to_investigation(page: Page):
    log_in(page, "analyst")

    # Open a case with only part of what investigation needs: a supervisor but no analyst,
    # no evidence sources and no supply chain.
    page.get_by_role("link", name="Open a new case").click()
    expect(page.get_by_role("heading", name="Open a case")).to_be_visible()
    received = dt.date.today() - dt.timedelta(days=10)
    page.get_by_label("Title").fill("Cotton yarn from Example Spinning Mill")
    page.get_by_label("Allegation summary").fill(
        "Workers report their identity documents are held and wages withheld."
    )
    page.get_by_label("Referral source").select_option(label="Non-governmental organization")
    page.get_by_label("Received on").fill(received.isoformat())
    page.get_by_label("Commodity").select_option(label="Cotton (HS 5201)")
    page.get_by_label("Source country").select_option(label="China")
    page.get_by_label("Supervisor").select_option(label=SUPERVISOR)
    page.get_by_role("button", name="Open case").click()

    expect(page.locator("#case-phase")).to_have_text("1 · Initiation")
    number = re.search(r"/cases/([^/]+)/$", page.url).group(1)
    expect(page.get_by_role("status")).to_contain_text(f"Case {number} opened.")

    # The dialog lists what is missing before anything is tried.
    page.get_by_role("link", name="Move to 2 · Investigation").click()
    dialog = page.locator("#transition-dialog").get_by_role(
        "dialog", name=f"Move {number} to 2 · Investigation"
    )
    expect(dialog).to_be_visible()
    missing = dialog.locator("#transition-missing")
    expect(missing).to_contain_text("The case cannot enter 2 · Investigation yet")
    for item in (
        "an assigned analyst",
        "at least one supply-chain entity",
        "at least one evidence source",
    ):
        expect(missing).to_contain_text(item)
    expect(missing).not_to_contain_text("supervisor")

    # Confirming anyway is refused, with the same reasons, and the case stays in initiation.
    dialog.get_by_role("button", name="Confirm").click()
    refusal = dialog.locator("[data-error-summary]")
    expect(refusal).to_contain_text("The case cannot enter 2 · Investigation: it needs")
    expect(refusal).to_contain_text("at least one supply-chain entity")
    expect(refusal).to_contain_text("at least one evidence source")
    page.reload()
    expect(page.locator("#case-phase")).to_have_text("1 · Initiation")
    expect(page.locator("#transition-history")).not_to_contain_text("Investigation")

    # Supply what was missing: evidence sources and the analyst (by editing the case) ...
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name=f"Edit {number}")).to_be_visible()
    for source in ("NGO report", "Interview or worker testimony"):
        # USWDS draws its own checkbox over the label; the real input sits off-screen.
        page.locator("label", has_text=source).click()
        expect(page.get_by_label(source)).to_be_checked()
    page.get_by_label("Assigned analyst").select_option(label=ANALYST)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text(f"Case {number} saved.")
    expect(summary_value(page, "Assigned analyst")).to_have_text(ANALYST)
    expect(summary_value(page, "Supervisor")).to_have_text(SUPERVISOR)
    for source in ("NGO report", "Interview or worker testimony"):
        expect(summary_value(page, "Evidence sources")).to_contain_text(source)

    # ... and a supply-chain entity, created on the spot.
    entity_form = page.locator("#entity-form")
    entity_form.get_by_label("Role").select_option(label="Manufacturer")
    entity_form.get_by_label("New entity name").fill(ENTITY)
    entity_form.get_by_label("Country").select_option(label="China")
    entity_form.get_by_role("button", name="Add to supply chain").click()
    expect(page.get_by_role("status")).to_contain_text("Supply-chain entity linked.")
    expect(page.locator("#supply-chain")).to_contain_text(ENTITY)

    # Now the move goes through.
    page.get_by_role("link", name="Move to 2 · Investigation").click()
    dialog = page.locator("#transition-dialog").get_by_role(
        "dialog", name=f"Move {number} to 2 · Investigation"
    )
    expect(dialog).to_be_visible()
    expect(dialog.locator("#transition-missing")).to_have_count(0)
    dialog.get_by_role("button", name="Confirm").click()

    expect(page.locator("#case-phase")).to_have_text("2 · Investigation")
    expect(page.get_by_role("status")).to_contain_text(f"{number} moved to 2 · Investigation.")
    move = page.locator("#transition-history tbody tr").filter(has_text="→")
    expect(move).to_have_count(1)
    expect(move).to_contain_text("1 · Initiation → 2 · Investigation")
    expect(move).to_contain_text(ANALYST)

    task = page.locator("#tasks tbody tr").filter(has_text=f"Notify HSI of {number}")
    expect(task).to_have_count(1)
    expect(task).to_contain_text(ANALYST)
    expect(task).to_contain_text("Open")
    opened = dt.date.fromisoformat(summary_value(page, "Opened").inner_text().strip())
    due = task.locator("td").nth(2)
    # Due ten days after today (WITHHOLD_HSI_NOTIFICATION_DAYS); a day's slack for midnight.
    expect(due).to_have_text(
        re.compile("|".join((opened + dt.timedelta(days=d)).isoformat() for d in (10, 11)))
    )

    phase_change = page.locator("#audit tbody tr").filter(has_text="Case phase changed")
    expect(phase_change).to_have_count(1)
    expect(phase_change).to_contain_text(ANALYST)
    expect(phase_change).to_contain_text("initiation")
    expect(phase_change).to_contain_text("investigation")

    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS_DIR / "case-journey.png", full_page=True)
