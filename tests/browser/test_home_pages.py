"""Every role's working day in Chromium, on the demo data set (``withhold load-demo``): sign in,
land on the home page, open the first due item, act on it, and see it leave the list; and every
menu link the role is shown answers 200.

A server of its own (like the crawl's) runs on a fresh SQLite database with the reference and
demo data. Counts are read from each section's ``data-count``, so a test says "one fewer" rather
than a figure of the demo data.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .conftest import running_server
from .test_crawl import _run

pytestmark = pytest.mark.browser

ROLES = [
    "intake",
    "analyst",
    "supervisor",
    "counsel",
    "approver",
    "targeter",
    "port",
    "hsi",
    "importer",
    "public",
]


@pytest.fixture(scope="module")
def demo_site(chromium_executable, server_env, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("withhold-home")
    env = {**server_env, "WITHHOLD_VAR_DIR": str(var_dir)}
    env.pop("CACHE_URL", None)
    _run(env, "migrate", "--noinput")
    _run(env, "load-reference")
    _run(env, "load-demo")
    with running_server(env, log_name="home-server.log") as url:
        yield url


@pytest.fixture
def home(browser, demo_site):
    context = browser.new_context(base_url=demo_site, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Page, username: str) -> None:
    from withhold.accounts.demo import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Signing in lands on the home page.
    expect(page.get_by_role("heading", level=1, name="What is due")).to_be_visible()
    assert re.fullmatch(r"https?://[^/]+/", page.url), page.url


def count(page: Page, section: str) -> int:
    return int(page.locator(f"#due-{section}").get_attribute("data-count"))


def open_first(page: Page, section: str) -> str:
    link = page.locator(f"#due-{section} .withhold-due-link").first
    label = link.inner_text()
    link.click()
    return label


@pytest.mark.parametrize("username", ROLES)
def test_every_menu_link_answers_200(home: Page, username):
    sign_in(home, username)
    hrefs = home.locator("nav.usa-nav a[data-menu]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs, username
    for href in hrefs:
        assert home.request.get(href).status == 200, (username, href)


def test_intake_declines_the_first_allegation_due(home: Page):
    sign_in(home, "intake")
    before = count(home, "allegations")
    assert before > 0
    expect(home.locator("#due-allegations .withhold-due-when").first).to_contain_text("due ")
    receipt = open_first(home, "allegations")
    expect(home.locator("#triage-clock")).to_contain_text("due ")
    home.get_by_label("Reason for declining").fill(
        "No link to forced labor is described; the report concerns wages only."
    )
    home.get_by_role("button", name="Decline allegation").click()
    home.goto("/")
    assert count(home, "allegations") == before - 1
    expect(home.locator("#due-allegations").get_by_role("link", name=receipt)).to_have_count(0)


def test_analyst_marks_the_first_task_done(home: Page):
    sign_in(home, "analyst")
    before = count(home, "tasks")
    assert before > 0
    title = open_first(home, "tasks")
    row = home.locator("#tasks tr", has_text=title).first
    row.get_by_role("button", name="Mark done").click()
    expect(home.get_by_text("Task done.")).to_be_visible()
    home.goto("/")
    assert count(home, "tasks") == before - 1


def test_counsel_records_an_opinion_and_the_approver_decides(home: Page, tmp_path):
    sign_in(home, "counsel")
    before = count(home, "opinions")
    assert before > 0
    number = open_first(home, "opinions")
    home.get_by_role("link", name="Record the legal opinion").click()
    home.locator("label[for=id_sufficient_0]").click()
    home.locator("label[for=id_standard_0]").click()
    home.get_by_label("Reasoning in brief").fill("The evidence meets the standard for this order.")
    memo = tmp_path / "memo.pdf"
    memo.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
    home.locator("#id_memo").set_input_files(str(memo))
    home.get_by_role("button", name="Record the opinion").click()
    if home.locator(".usa-error-message").count():  # the other standard fits this kind
        home.locator("label[for=id_standard_1]").click()
        home.locator("#id_memo").set_input_files(str(memo))
        home.get_by_role("button", name="Record the opinion").click()
    expect(home.locator("#legal-review")).to_contain_text("sufficient")
    home.goto("/")
    assert count(home, "opinions") == before - 1

    sign_in(home, "approver")
    waiting = count(home, "decisions")
    assert waiting > 0
    assert open_first(home, "decisions") == number
    home.get_by_role("link", name="Approve or reject").click()
    home.get_by_text("Approved", exact=True).click()
    planned = timezone.localdate() + dt.timedelta(days=30)
    home.get_by_label("Planned issuance date").fill(planned.isoformat())
    home.get_by_role("button", name="Record the decision").click()
    expect(home.locator("#order-status")).to_have_text("Approved")
    home.goto("/")
    assert count(home, "decisions") == waiting - 1


def test_hsi_records_its_case_reference(home: Page):
    sign_in(home, "hsi")
    needing = home.locator("#due-referred .usa-tag", has_text="Needs your case reference")
    before = needing.count()
    assert before > 0
    row = home.locator("#due-referred li").filter(has_text="Needs your case reference").first
    number = row.locator("a").first.inner_text()
    home.locator("#due-referred").get_by_role("link", name=number).click()
    home.get_by_text("Record HSI notification").click()
    home.get_by_label("HSI case reference (if given)").fill("HSI-DEMO-0001")
    home.get_by_role("button", name="Record", exact=True).click()
    home.goto("/")
    expect(
        home.locator("#due-referred .usa-tag", has_text="Needs your case reference")
    ).to_have_count(before - 1)


@pytest.mark.parametrize(
    ("username", "section"),
    [
        ("supervisor", "overdue"),
        ("importer", "requests"),
    ],
)
def test_the_first_due_item_opens_its_page(home: Page, username, section):
    sign_in(home, username)
    assert count(home, section) > 0
    label = open_first(home, section)
    expect(home.locator("main")).to_contain_text(label)


def test_the_targeter_judges_the_first_new_hit(home: Page):
    sign_in(home, "targeter")
    before = count(home, "hits")
    assert before > 0
    link = home.locator("#due-hits .withhold-due-link").first
    hit_id = link.get_attribute("href").rsplit("#", 1)[1]
    entry = open_first(home, "hits")
    expect(home.locator("main")).to_contain_text(entry)
    hit = home.locator(f"#{hit_id}")
    expect(hit).to_contain_text("not judged")
    hit.get_by_text("Judge this hit").click()
    hit.locator("label", has_text="True match").click()  # USWDS styles the label
    hit.get_by_label("Note").fill("Same mill and address as the order's scope.")
    hit.get_by_role("button", name="Record the judgement").click()
    expect(home.locator(".usa-alert--success")).to_contain_text("true match")
    expect(home.locator(f"#{hit_id}")).to_contain_text("judged true match")
    home.goto("/")
    assert count(home, "hits") == before - 1
    expect(home.locator(f"#due-hits a[href$='#{hit_id}']")).to_have_count(0)


def test_the_demo_screening_is_judged_and_rescreened(home: Page):
    """``load-demo`` as ``make run`` runs it (background threads on, no broker): the demo's
    judgements and the re-screening its made-up list caused are there when the site opens."""
    sign_in(home, "targeter")
    home.goto("/screening/judgements/")
    expect(home.get_by_text("DEMO judgement").first).to_be_visible()
    home.goto("/screening/")
    expect(
        home.get_by_role("row").filter(has_text="re-screening").filter(has_text="demo-made-up")
    ).to_have_count(1)


def test_the_port_officer_releases_the_first_detention(home: Page):
    sign_in(home, "port")
    before = count(home, "detentions")
    assert before > 0
    entry = open_first(home, "detentions")
    expect(home.locator("main")).to_contain_text(entry)
    home.get_by_role("link", name="Release").click()
    home.get_by_label("Reason").fill("The proof traces the goods to an unlisted supplier.")
    home.get_by_role("button", name="Release the shipment").click()
    expect(home.locator("#detention-status")).to_have_text("Released")
    home.goto("/")
    assert count(home, "detentions") == before - 1
    expect(home.locator("#due-detentions").get_by_role("link", name=entry)).to_have_count(0)


def test_the_public_reader_is_told_what_would_appear(home: Page):
    sign_in(home, "public")
    expect(home.locator(".withhold-empty-state")).to_contain_text("no work queue")


def test_the_public_pages_have_a_menu_on_a_phone(browser, demo_site):
    context = browser.new_context(base_url=demo_site, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto("/report/")
        check = page.get_by_role("link", name="Check a report")
        expect(check).to_be_hidden()
        page.get_by_role("button", name="Menu").click()
        check.click()
        expect(page).to_have_url(re.compile(r"/report/status/$"))
    finally:
        context.close()


def test_the_supervisor_reviews_the_first_legacy_row(home: Page):
    sign_in(home, "supervisor")
    before = count(home, "legacy")
    assert before > 0
    open_first(home, "legacy")
    home.locator("textarea[name=note]").first.fill("Region mapped by hand from the legacy notes.")
    home.get_by_role("button", name="Mark reviewed").first.click()
    home.goto("/")
    assert count(home, "legacy") == before - 1


def test_the_importer_submits_proof_for_the_first_detained_shipment(home: Page, tmp_path):
    sign_in(home, "importer")
    before = count(home, "awaiting_proof")
    in_review = count(home, "my_detentions")
    assert before > 0
    entry = open_first(home, "awaiting_proof")
    home.get_by_role("link", name="Submit proof of admissibility").click()
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
    home.locator("#id_certificate_of_origin").set_input_files(str(certificate))
    home.locator("#id_detailed_statement").set_input_files(str(certificate))
    home.get_by_role("button", name="Submit proof").click()
    expect(home).to_have_url(re.compile(r"/detentions/\d+/$"))
    home.goto("/")
    assert count(home, "awaiting_proof") == before - 1
    assert count(home, "my_detentions") == in_review + 1
    expect(home.locator("#due-my_detentions").get_by_role("link", name=entry)).to_have_count(1)
