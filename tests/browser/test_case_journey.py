"""Acceptance test of the foundation issue, in a real browser against a running server.

A case analyst opens a case, is told what it lacks to enter investigation, is refused when
confirming anyway, supplies what was missing and moves the case on: the page then shows the new
phase, the transition in the phase history, the "notify HSI" task and the audit entry.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from .conftest import ARTIFACTS_DIR, PASSWORD

pytestmark = pytest.mark.browser

ANALYST = "Ana Analyst"
SUPERVISOR = "Sam Supervisor"
ENTITY = "Riverside Cotton Ginnery Co."
EVIDENCE = ("NGO report", "Interview or worker testimony")
TO_INVESTIGATION = "Move to 2 · Investigation"


def log_in(page: Page, username: str, full_name: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(full_name)


def open_transition_dialog(page: Page, link_name: str, number: str) -> Locator:
    """Click a phase-move button and return the dialog htmx loads into #transition-dialog."""
    page.wait_for_load_state()  # htmx is wired up once the deferred scripts have run
    page.get_by_role("link", name=link_name, exact=True).click()
    dialog = page.locator("#transition-dialog").get_by_role(
        "dialog", name=f"{link_name.replace('Move to', f'Move {number} to')}"
    )
    expect(dialog).to_be_visible()
    return dialog


def summary_value(page: Page, term: str) -> Locator:
    """The value shown against ``term`` in the case page's summary list."""
    return page.locator(f"#summary dt:text-is('{term}') + dd")


def cells(row: Locator) -> list[Locator]:
    return [row.locator("td").nth(i) for i in range(6)]


def test_analyst_opens_a_case_and_moves_it_to_investigation(page: Page):
    log_in(page, "analyst", ANALYST)

    # Open a case with only part of what investigation needs: a supervisor, but no analyst,
    # no evidence (so no evidence source) and no supply chain.
    page.get_by_role("link", name="Open a new case").click()
    expect(page.get_by_role("heading", name="Open a case")).to_be_visible()
    page.get_by_label("Title").fill("Cotton yarn from Example Spinning Mill")
    page.get_by_label("Allegation summary").fill(
        "Workers report their identity documents are held and wages withheld."
    )
    page.get_by_label("Referral source").select_option(label="Non-governmental organization")
    page.get_by_label("Received on").fill(
        (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    )
    page.get_by_label("Commodity").select_option(label="Cotton (HS 5201)")
    page.get_by_label("Source country").select_option(label="China")
    page.get_by_label("Supervisor").select_option(label=SUPERVISOR)
    page.get_by_role("button", name="Open case").click()

    expect(page).to_have_url(re.compile(r"/cases/FL-\d{4}-[0-9A-HJKMNP-TV-Z]{6}/$"))
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.get_by_role("status")).to_contain_text(f"Case {number} opened.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.locator("#case-phase")).to_have_text("1 · Initiation")

    # Before anything is tried, the dialog says what the case lacks (and not what it has).
    dialog = open_transition_dialog(page, TO_INVESTIGATION, number)
    missing = dialog.locator("#transition-missing")
    expect(missing).to_contain_text("The case cannot enter 2 · Investigation yet")
    for item in (
        "an assigned analyst",
        "at least one supply-chain entity",
        "at least one evidence source",
    ):
        expect(missing).to_contain_text(item)
    expect(missing).not_to_contain_text("supervisor")

    # Confirming anyway is refused, naming what is missing, and the case stays in initiation.
    dialog.get_by_role("button", name="Confirm").click()
    refusal = dialog.locator("[data-error-summary]")
    expect(refusal).to_contain_text("The case cannot enter 2 · Investigation: it needs")
    expect(refusal).to_contain_text("at least one supply-chain entity")
    expect(refusal).to_contain_text("at least one evidence source")
    page.reload()
    expect(page.locator("#case-phase")).to_have_text("1 · Initiation")
    expect(page.locator("#transition-history")).not_to_contain_text("Investigation")

    # Supply what was missing: the analyst, by editing the case. The form has no evidence-source
    # boxes: a case's sources are derived from its evidence items.
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", name=f"Edit {number}")).to_be_visible()
    expect(page.locator("#evidence-sources-derived")).to_be_visible()
    expect(page.locator("input[name=evidence_sources]")).to_have_count(0)
    page.get_by_label("Assigned analyst").select_option(label=ANALYST)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text(f"Case {number} saved.")
    expect(summary_value(page, "Assigned analyst")).to_have_text(ANALYST)
    expect(summary_value(page, "Supervisor")).to_have_text(SUPERVISOR)
    expect(summary_value(page, "Evidence sources")).to_have_text("—")

    # ... evidence items, whose sources become the case's ...
    for source in EVIDENCE:
        page.goto(page.url.split("/cases/")[0] + f"/cases/{number}/evidence/")
        details = page.locator("details", has=page.locator("#evidence-form"))
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        form = page.locator("#evidence-form")
        form.locator("select[name=kind]").select_option(label="Document")
        form.locator("select[name=source]").select_option(label=source)
        form.locator("input[name=obtained_on]").fill(
            (timezone.localdate() - dt.timedelta(days=5)).isoformat()
        )
        form.locator("textarea[name=description]").fill(
            f"What the {source} says about held documents."
        )
        form.locator("select[name=source_reliability]").select_option(index=2)
        form.locator("select[name=information_credibility]").select_option(index=2)
        form.get_by_role("button", name="Add evidence").click()
        expect(page.get_by_role("status")).to_contain_text("Evidence added.")
    page.goto(page.url.split("/cases/")[0] + f"/cases/{number}/")
    for source in EVIDENCE:
        expect(summary_value(page, "Evidence sources")).to_contain_text(source)

    # ... and a supply-chain entity, created on the spot.
    entity_form = page.locator("#entity-form")
    entity_form.get_by_label("Role").select_option(label="Manufacturer")
    entity_form.get_by_label("New entity name").fill(ENTITY)
    entity_form.get_by_label("Country").select_option(label="China")
    entity_form.get_by_role("button", name="Add to supply chain").click()
    expect(page.get_by_role("status")).to_contain_text("Supply-chain entity linked.")
    link = page.locator("#supply-chain tbody tr").filter(has_text=ENTITY)
    expect(link).to_contain_text("Manufacturer")

    # Now the move goes through.
    dialog = open_transition_dialog(page, TO_INVESTIGATION, number)
    expect(dialog.locator("#transition-missing")).to_have_count(0)
    dialog.get_by_role("button", name="Confirm").click()

    expect(page.locator("#case-phase")).to_have_text("2 · Investigation")
    expect(page.get_by_role("status")).to_contain_text(f"{number} moved to 2 · Investigation.")

    moves = page.locator("#transition-history tbody tr").filter(has_text="→")
    expect(moves).to_have_count(1)
    _, change, actor, *_ = cells(moves)
    expect(change).to_have_text("1 · Initiation → 2 · Investigation")
    expect(actor).to_have_text(ANALYST)

    tasks = page.locator("#tasks tbody tr").filter(has_text=f"Notify HSI of {number}")
    expect(tasks).to_have_count(1)
    _, owner, due, state, *_ = cells(tasks)
    expect(owner).to_have_text(ANALYST)
    expect(state).to_have_text("Open")
    # Due WITHHOLD_HSI_NOTIFICATION_DAYS (10) after the move, which happened on the day the case
    # was opened, or the next day if the test straddled midnight.
    opened = dt.date.fromisoformat(summary_value(page, "Opened").inner_text().strip())
    due_dates = [(opened + dt.timedelta(days=d)).isoformat() for d in (10, 11)]
    expect(due).to_have_text(re.compile(rf"^({'|'.join(due_dates)})$"))

    audit = page.locator("#audit tbody tr").filter(has_text="Case phase changed")
    expect(audit).to_have_count(1)
    _, who, _, field, old, new = cells(audit)
    expect(who).to_have_text(ANALYST)
    # The audit trail reads in labels, not the stored codes.
    expect(field).to_have_text("Phase")
    expect(old).to_have_text("1 · Initiation")
    expect(new).to_have_text("2 · Investigation")

    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS_DIR / "case-journey.png", full_page=True)
