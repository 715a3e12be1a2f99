"""The Content-Security-Policy holds on every page of the main journeys: each page is loaded in
Chromium under the site's policy header (``default-src 'self'``, scripts and styles from our own
files only) and the browser reports zero violations — neither a ``securitypolicyviolation`` event
nor a CSP message in the console. A page that needs an inline script or style fails here.

The file name sorts it after the journeys: it adds a case, an order, a detention and an
allegation to the shared server database, which the journeys' counts must not see.

Not listed: ``/api/redoc/``, whose third-party viewer fetches web fonts and a logo from other
sites; the policy blocks them (the page still works, in the browser's fonts)."""

import json
import subprocess

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, PROJECT_DIR, _withhold

pytestmark = pytest.mark.browser

SEED = """
import json
from tests.operations.seed import seed_records
from withhold.orders.models import Order
records = seed_records(suffix="csp")
print("SEEDED" + json.dumps(records.__dict__))
"""

PUBLIC_PAGES = ["/accounts/login/", "/report/", "/report/status/", "/register/"]
STAFF_PAGES = [
    "/cases/my-work/",
    "/cases/",
    "/cases/new/",
    "/cases/{case_number}/",
    "/cases/{case_number}/edit/",
    "/cases/{case_number}/evidence/",
    "/entities/",
    "/entities/new/",
    "/entities/{entity_id}/",
    "/intake/",
    "/intake/{receipt_number}/",
    "/orders/",
    "/orders/{order_number}/",
    "/register/{order_number}/",
    "/petitions/",
    "/detentions/",
    "/detentions/{detention_id}/",
    "/detentions/statistics/",
    "/api/docs/",
]

# Collects violations from the moment each document starts (injected by the browser itself,
# so the page's own policy does not apply to it).
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(scope="module")
def seeded(server_url, server_env) -> dict:
    result = subprocess.run(
        _withhold("shell", "-c", SEED),
        cwd=PROJECT_DIR,
        env={**server_env, "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("SEEDED"))
    return json.loads(line.removeprefix("SEEDED"))


def _visit_all(page: Page, paths: list[str]) -> dict[str, list[str]]:
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.add_init_script(WATCH_VIOLATIONS)
    problems: dict[str, list[str]] = {}
    for path in paths:
        console.clear()
        response = page.goto(path)
        assert response is not None and response.status < 500, path
        assert "default-src 'self'" in response.headers.get("content-security-policy", ""), path
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__cspViolations") + list(console)
        if found:
            problems[path] = found
    return problems


def test_public_pages_raise_no_csp_violation(page: Page):
    assert _visit_all(page, PUBLIC_PAGES) == {}


def test_staff_pages_raise_no_csp_violation(page: Page, seeded):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("supervisor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    paths = [path.format(**seeded) for path in STAFF_PAGES]
    assert _visit_all(page, paths) == {}
