"""Every role's pages, crawled in Chromium on the demo data set, checked for what a reader notices.

A server of its own (``crawl_site``) runs on a fresh SQLite database with the reference data, the
demo data (``withhold load-demo``) and unique markers planted in fields that must never leave the
division (order internal notes, counsel's opinion, the CEE recommendation, law-enforcement-
sensitive cases, allegation submitters, internal file names). Then, for each demo account and for
an anonymous visitor, a breadth-first crawl starts at ``/`` and follows every same-origin
``<a href>`` and every GET form (as rendered, and once per select with its first non-empty
option), bounded per URL pattern and per role. Every page is checked for:

(a) no 4xx/5xx answer to a link or form the site offered;
(b) each CSV/JSON download on a list page holds the rows the page shows: the count the page gives
    ("Showing 1–25 of 207", "12 cases") and its first rows, in order (filters and sort kept),
    and a link named CSV or JSON answers a file, not a page;
(c) no element id used twice on a page (a label would name the wrong input);
(d) no raw choice value (``legal_review``, ``lack_of_personnel``) in the visible text, and no
    abbreviation written as a word ("Ilo indicators");
(e) no planted internal marker on any page or download the importer, the public reader or an
    anonymous visitor reaches;
(f) no table cell or ``<dd>`` showing a bare number of 1,000 or more without a thousands separator.

Pages are fetched with GET only: after the crawl no audit row other than "viewed" or
"downloaded" may have been written (a link that changes state would show up here).

The run's coverage (distinct URLs per role) and duration are written to
``test-artifacts/crawl-report.json`` and printed.
"""

import csv
import io
import json
import re
import sqlite3
import subprocess
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Error as PlaywrightError

from .conftest import ARTIFACTS_DIR, PROJECT_DIR, _withhold, running_server

pytestmark = pytest.mark.browser

ANONYMOUS = "anonymous"
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
    ANONYMOUS,
]
# Users outside the division: none of the planted markers may reach them.
OUTSIDERS = {"importer", "public", ANONYMOUS}

MAX_PAGES_PER_ROLE = 60
# At most this many URLs per pattern (path with ids replaced, and the query's non-empty keys).
PER_PATTERN = 2
# At most this many URLs per path with its ids replaced (its sorts, filters and pages).
PER_PATH = 5

SKIP_PREFIXES = ("/accounts/logout", "/admin/", "/api/", "/static/", "/media/")
# Paths answered with a file rather than a page: fetched, not rendered.
FILE_PATH = re.compile(
    r"(\.csv|\.json|/file/|/memo/|/documents/\d+/|/files/\d+/|/audit\.csv|/trade\.csv)$"
)

# Abbreviations the pages use, as a field name turned into a label would write them.
ABBREVIATIONS = ["Ilo", "Hts", "Hsi", "Usd", "Cee", "Wro", "Uflpa", "Caatsa", "Cbp", "Ngo", "Kpi"]

# Defects another change fixes, passed over here until it is merged: (roles, check, a pattern of
# the message, the defect). Each entry is narrow; remove it with the fix.
KNOWN_DEFECTS: list[tuple[set[str], str, str, str]] = []

# Markers planted in internal-only fields before the crawl.
MARKERS = {
    "order internal notes": "ZQXORDERNOTE",
    "counsel opinion summary": "ZQXOPINION",
    "CEE recommendation reasons": "ZQXCEEREASON",
    "law-enforcement-sensitive case title": "ZQXLESTITLE",
    "law-enforcement-sensitive case summary": "ZQXLESSUMMARY",
    "case timeline note": "ZQXCASENOTE",
    "allegation submitter name": "ZQXSUBMITTER",
    "allegation submitter e-mail": "zqxsubmitter@example.org",
    "internal file name": "zqxinternalfile",
}

PLANT = """
from withhold.accounts.models import User
from withhold.cases.models import Case, CaseDocument, CaseUpdate
from withhold.detentions import services as detention_services
from withhold.detentions.models import Detention
from withhold.evidence.models import EvidenceItem, TradeUpload
from withhold.intake.models import Allegation
from withhold.orders.models import LegalOpinion, Order

M = {markers!r}
for order in Order.objects.all():
    Order.objects.filter(pk=order.pk).update(
        internal_notes=(order.internal_notes + " " + M["order internal notes"]).strip()
    )
for opinion in LegalOpinion.objects.all():
    LegalOpinion.objects.filter(pk=opinion.pk).update(
        summary=opinion.summary + " " + M["counsel opinion summary"]
    )
port = User.objects.get(username="port")
for detention in Detention.objects.filter(status=Detention.Status.UNDER_REVIEW):
    detention_services.detention_recommend(
        detention=detention, actor=port, recommendation="exclude",
        reason="Proof does not trace the cotton. " + M["CEE recommendation reasons"],
    )
# The cases behind the demo orders become law-enforcement-sensitive, with marked titles.
backing = Case.objects.filter(orders__isnull=False).distinct()
for case in backing:
    Case.objects.filter(pk=case.pk).update(
        law_enforcement_sensitive=True,
        title=("DEMO " + M["law-enforcement-sensitive case title"] + " " + case.title)[:200],
        allegation_summary=case.allegation_summary + " " + M["law-enforcement-sensitive case summary"],
    )
for update in CaseUpdate.objects.all():
    CaseUpdate.objects.filter(pk=update.pk).update(text=update.text + " " + M["case timeline note"])
Allegation.objects.filter(anonymous=False).update(
    contact_name="DEMO " + M["allegation submitter name"],
    contact_email=M["allegation submitter e-mail"],
)
name = M["internal file name"] + ".pdf"
CaseDocument.objects.update(original_name=name)
EvidenceItem.objects.exclude(original_name="").update(original_name=name)
TradeUpload.objects.update(original_name=M["internal file name"] + ".csv")
print("PLANTED", backing.count())
"""

# Visible text and structure of a page, read in the browser.
READ_PAGE = r"""
() => {
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) {
    ids[el.id] = (ids[el.id] || 0) + 1;
  }
  const links = [];
  for (const a of document.querySelectorAll("a[href]")) {
    let href;
    try { href = new URL(a.getAttribute("href"), document.baseURI).href; } catch (e) { continue; }
    links.push({href, text: (a.textContent || "").trim()});
  }
  const forms = [];
  for (const form of document.querySelectorAll("form")) {
    const method = (form.getAttribute("method") || "get").toLowerCase();
    if (method !== "get") continue;
    const fields = [];
    const selects = [];
    for (const el of form.elements) {
      if (!el.name || el.disabled) continue;
      const tag = el.tagName.toLowerCase();
      const type = (el.type || "").toLowerCase();
      if (tag === "button" || type === "submit" || type === "button" || type === "reset"
          || type === "file") continue;
      if ((type === "checkbox" || type === "radio") && !el.checked) continue;
      if (tag === "select") {
        const options = Array.from(el.options).map(o => o.value).filter(v => v !== "");
        for (const o of el.selectedOptions) fields.push([el.name, o.value]);
        if (!el.multiple && options.length) selects.push([el.name, options[0]]);
        continue;
      }
      fields.push([el.name, String(el.value ?? "")]);
    }
    forms.push({action: new URL(form.getAttribute("action") || "", document.baseURI).href, fields, selects});
  }
  const main = document.querySelector("main") || document.body;
  const cells = [];
  for (const table of main.querySelectorAll("table")) {
    const heads = Array.from(table.querySelectorAll("thead th")).map(th => th.innerText.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      Array.from(row.children).forEach((cell, i) => {
        cells.push({text: cell.innerText.trim(), head: cell.getAttribute("data-label") || heads[i] || ""});
      });
    }
  }
  for (const dd of main.querySelectorAll("dl dd")) {
    const dt = dd.previousElementSibling;
    cells.push({text: dd.innerText.trim(), head: dt && dt.tagName === "DT" ? dt.innerText.trim() : ""});
  }
  // The list: the first table of the main content with body rows.
  let keys = [];
  for (const table of main.querySelectorAll("table")) {
    const rows = Array.from(table.querySelectorAll("tbody tr")).filter(r => r.children.length > 1);
    if (!rows.length) continue;
    // Each row by its first three cells (the first by its link's text when it has one).
    keys = rows.map(r => Array.from(r.children).slice(0, 3).map((cell, i) => {
      const a = i === 0 ? cell.querySelector("a") : null;
      return ((a ? a.innerText : cell.innerText) || "").split("\n")[0].trim();
    }));
    break;
  }
  const summary = main.querySelector(".withhold-pagination__summary");
  const count = main.querySelector(".withhold-result-count");
  return {
    dupes: Object.entries(ids).filter(([k, n]) => n > 1).map(([k, n]) => k),
    links, forms, cells, keys,
    text: document.body.innerText,
    summary: summary ? summary.innerText.trim() : "",
    count: count ? count.innerText.trim() : "",
    title: document.title,
  };
}
"""


@dataclass
class CrawlSite:
    url: str
    db_path: Path
    password: str


@dataclass
class RoleResult:
    role: str
    visited: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    known: list[str] = field(default_factory=list)
    markers_seen: set[str] = field(default_factory=set)
    seconds: float = 0.0

    def add(self, kind: str, message: str) -> None:
        self.problems.setdefault(kind, [])
        if message not in self.problems[kind]:
            self.problems[kind].append(message)


def raw_choice_values() -> dict[str, str]:
    """Raw ``value`` forms of the project's choices a reader should never see, with their label.

    Every choice of every model field of the project (through the app registry) whose value is a
    code: it holds an underscore (``legal_review``), or it is one lower-case word whose label is
    an upper-case abbreviation (``wro`` for "WRO").
    """
    from django.apps import apps

    found: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("withhold."):
            continue
        for model_field in model._meta.get_fields():
            for value, label in getattr(model_field, "flatchoices", None) or []:
                if not isinstance(value, str) or not value or str(label) == value:
                    continue
                word = value.replace("_", " ")
                if ("_" in value and word.lower() != value.lower()) or (
                    value.islower() and value.isalpha() and str(label).isupper()
                ):
                    found[value] = str(label)
    return found


def _run(env: dict, *command: str, timeout: int = 300) -> str:
    result = subprocess.run(
        _withhold(*command),
        cwd=PROJECT_DIR,
        env={**env, "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        pytest.fail(f"`withhold {command[0]}` failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="module")
def crawl_site(chromium_executable, server_env, tmp_path_factory):
    """A server of its own on the demo data set with the markers planted."""
    from withhold.accounts.demo import DEMO_PASSWORD

    var_dir = tmp_path_factory.mktemp("withhold-crawl")
    # The scheduled jobs (reminders, proposed exclusions, snapshots) write audit rows by design;
    # the crawl checks that its GET requests write none, so this server leaves them out.
    env = {**server_env, "WITHHOLD_VAR_DIR": str(var_dir), "WITHHOLD_SCHEDULER": "false"}
    env.pop("CACHE_URL", None)
    _run(env, "migrate", "--noinput")
    _run(env, "load-reference")
    _run(env, "load-demo")
    assert "PLANTED" in _run(env, "shell", "-c", PLANT.format(markers=MARKERS))
    with running_server(env, log_name="crawl-server.log") as url:
        yield CrawlSite(url=url, db_path=var_dir / "withhold.sqlite3", password=DEMO_PASSWORD)


@pytest.fixture(scope="module")
def report():
    """Every role's result; written to test-artifacts/crawl-report.json and printed at the end."""
    started = time.monotonic()
    results: dict[str, RoleResult] = {}
    yield results
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    data = {
        "seconds": round(time.monotonic() - started, 1),
        "roles": {
            role: {
                "distinct_urls": len(r.visited),
                "files": len(r.files),
                "seconds": round(r.seconds, 1),
                "problems": r.problems,
                "known_defects_passed_over": r.known,
                "internal_markers_seen": sorted(r.markers_seen),
                "urls": r.visited,
            }
            for role, r in results.items()
        },
    }
    (ARTIFACTS_DIR / "crawl-report.json").write_text(json.dumps(data, indent=2))
    print(f"\nCrawl: {data['seconds']} s in all")
    for role, r in results.items():
        print(
            f"  {role:<10} {len(r.visited):>3} pages {len(r.files):>3} files "
            f"{r.seconds:>6.1f} s  problems: {sum(len(v) for v in r.problems.values())}"
            f"  passed over: {len(r.known)}  internal markers seen: {len(r.markers_seen)}"
        )


def _pattern(url: str) -> tuple:
    """The URL with its ids replaced, and the names of its non-empty query parameters."""
    parts = urlsplit(url)
    # A path segment holding a digit names a record: 17, FL-2026-0016, CBP-0067, WRO-2026-0002.
    path = re.sub(r"/[^/]*\d[^/]*(?=/|$)", "/{id}", parts.path)
    keys = sorted({k for k, v in parse_qsl(parts.query, keep_blank_values=True) if v})
    return (path, tuple(keys))


def _clean(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _wanted(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    return not parts.path.startswith(SKIP_PREFIXES)


def _is_file(url: str) -> bool:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    return bool(FILE_PATH.search(parts.path)) or query.get("format") in ("csv", "json", "xlsx")


def _number(text: str) -> int | None:
    found = re.search(r"of ([\d,]+)", text) or re.search(r"^([\d,]+)\b", text)
    return int(found.group(1).replace(",", "")) if found else None


def _same(key: str, cell: str) -> bool:
    """A page's cell and a download's name the same row: one holds the other (the page may add
    a tag or show a person's name where the download has the username)."""
    key, cell = key.strip().lower(), cell.strip().lower()
    return len(cell) >= 3 and len(key) >= 3 and (cell in key or key in cell)


def _check_download(result: RoleResult, context: BrowserContext, url: str, data: dict) -> None:
    """(b): the download's rows are the page's rows: same count, same first rows in order."""
    for link in data["links"]:
        query = dict(parse_qsl(urlsplit(link["href"]).query))
        named = re.search(r"\b(CSV|JSON)\b", link["text"])
        if query.get("format") not in ("csv", "json") and not (named and "?" in link["href"]):
            continue
        href = _clean(link["href"])
        answer = context.request.get(href)
        if answer.status >= 400:
            result.add("a: error status", f"{answer.status} {href} (download offered on {url})")
            continue
        kind = answer.headers.get("content-type", "")
        if "csv" not in kind and "json" not in kind:
            result.add("b: download rows", f"{url}: {link['text']!r} ({href}) answers {kind}")
            continue
        body = answer.text()
        if "json" in kind:
            parsed = json.loads(body)
            rows = (
                parsed
                if isinstance(parsed, list)
                else next((v for v in parsed.values() if isinstance(v, list)), [])
            )
            rows = [
                [str(v) for v in row.values()] if isinstance(row, dict) else [str(row)]
                for row in rows
            ]
        else:
            rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))[1:]
        # A list page says how many rows it has ("Showing 1–25 of 207", "12 cases").
        total = _number(data["summary"]) if data["summary"] else _number(data["count"])
        if total is None:
            continue  # a dashboard or a statistics table: its download is not its rows
        if len(rows) != total:
            result.add(
                "b: download rows",
                f"{url}: the page lists {total} rows, {href} has {len(rows)}",
            )
            continue
        # "Showing 26–50 of 207": the page's first row is the download's 26th.
        first = re.search(r"([\d,]+)\s*[–-]", data["summary"])
        start = int(first.group(1).replace(",", "")) - 1 if first else 0
        every_cell = [cell for row in rows for cell in row]
        for i, cells in enumerate(data["keys"]):
            row = rows[start + i] if start + i < len(rows) else []
            # A row by its first cell; by its next ones only when the download writes the first
            # another way (a username for a person's name).
            if any(_same(cells[0], cell) for cell in every_cell):
                cells = cells[:1]
            if not any(_same(key, cell) for key in cells for cell in row):
                result.add(
                    "b: download rows",
                    f"{url}: row {start + i + 1} of the page is {cells}; in {href} it is {row[:3]}",
                )
                break


def _check_page(
    result: RoleResult, url: str, data: dict, html: str, raw_values: dict[str, str]
) -> None:
    if data["dupes"]:
        result.add("c: duplicate ids", f"{url}: {', '.join(sorted(data['dupes']))}")
    text = data["text"]
    for value, label in raw_values.items():
        flags = re.IGNORECASE if "_" in value else 0
        if re.search(rf"(?<![A-Za-z/=.-]){re.escape(value)}(?![A-Za-z0-9_/-])", text, flags):
            result.add("d: raw choice values", f"{url}: {value!r} shown instead of {label!r}")
    # A field's name turned into a label keeps its abbreviation in lower case ("Ilo indicators").
    for word in re.findall(rf"\b({'|'.join(ABBREVIATIONS)})\b", text):
        result.add("d: raw choice values", f"{url}: {word!r} written for {word.upper()!r}")
    for cell in data["cells"]:
        value = cell["text"]
        head = cell["head"].lower()
        if re.fullmatch(r"\d{4,}(\.\d+)?", value) and float(value) >= 1000:
            if re.fullmatch(r"(19|20)\d\d", value) or re.search(
                r"\b(year|number|no\.|code|hts|hs|id|entry|zip|receipt|fy|row)\b", head
            ):
                continue
            result.add("f: numbers without separators", f"{url}: {cell['head']!r} shows {value}")
    for what, marker in MARKERS.items():
        if marker.lower() in html.lower():
            if result.role in OUTSIDERS:
                result.add("e: internal text shown", f"{url}: {what} ({marker})")
            else:  # staff may see it: the report shows the markers were planted where read
                result.markers_seen.add(what)


def _sign_in(context: BrowserContext, role: str, password: str) -> None:
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(role)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")
    assert "/accounts/login/" not in page.url, f"{role} could not sign in"
    page.close()


def crawl(browser: Browser, site: CrawlSite, role: str, raw_values: dict[str, str]) -> RoleResult:
    result = RoleResult(role)
    started = time.monotonic()
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    if role != ANONYMOUS:
        _sign_in(context, role, site.password)
    page = context.new_page()
    # Pages of a kind not seen yet (a path, with the names of its query's non-empty keys: each
    # filter and sort is a kind) come first; more ids and values of a kind already queued wait
    # in the second queue.
    fresh: deque[tuple[str, str]] = deque([("/", "start")])
    variants: deque[tuple[str, str]] = deque()
    seen: set[str] = {"/"}
    per_pattern: Counter = Counter()
    per_path: Counter = Counter()

    def offer(url: str, source: str) -> None:
        if not _wanted(url, site.url):
            return
        clean = _clean(url)
        if clean in seen:
            return
        pattern = _pattern(clean)
        if per_pattern[pattern] >= PER_PATTERN or per_path[pattern[0]] >= PER_PATH:
            return
        per_pattern[pattern] += 1
        per_path[pattern[0]] += 1
        seen.add(clean)
        (fresh if per_pattern[pattern] == 1 else variants).append((clean, source))

    while (fresh or variants) and len(result.visited) < MAX_PAGES_PER_ROLE:
        url, source = (fresh or variants).popleft()
        if _is_file(url):
            answer = context.request.get(url)
            result.files.append(url)
            if answer.status >= 400:
                result.add("a: error status", f"{answer.status} {url} (offered on {source})")
            elif role in OUTSIDERS:
                body = answer.body().decode("utf-8", "replace").lower()
                for what, marker in MARKERS.items():
                    if marker.lower() in body:
                        result.add("e: internal text shown", f"{url}: {what} ({marker})")
            continue
        try:
            response = page.goto(url, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            if "Download is starting" not in str(exc):
                raise
            result.files.append(url)
            continue
        status = response.status if response else 0
        final = _clean(page.url)
        result.visited.append(url)
        if status >= 400:
            result.add("a: error status", f"{status} {url} (offered on {source})")
            continue
        if "html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        seen.add(final)
        data = page.evaluate(READ_PAGE)
        _check_page(result, url, data, page.content(), raw_values)
        _check_download(result, context, url, data)
        for link in data["links"]:
            offer(link["href"], url)
        for form in data["forms"]:
            action = form["action"] or page.url
            if not _wanted(action, site.url):
                continue
            base = urlsplit(action)
            defaults = [(k, v) for k, v in form["fields"]]
            offer(urlunsplit(("", "", base.path, urlencode(defaults), "")), url)
            for name, value in form["selects"]:
                fields = [(k, v) for k, v in defaults if k != name] + [(name, value)]
                offer(urlunsplit(("", "", base.path, urlencode(fields), "")), url)
    context.close()
    result.seconds = time.monotonic() - started
    return result


def _writes_since(db_path: Path, last_id: int) -> list[str]:
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT action, object_repr FROM audit_auditentry WHERE id > ? ORDER BY id",
            (last_id,),
        ).fetchall()
    return [f"{a} {r}" for a, r in rows if not a.endswith(("_VIEWED", "_DOWNLOADED"))]


def _last_audit_id(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT COALESCE(MAX(id), 0) FROM audit_auditentry").fetchone()[0]


def _known(role: str, kind: str, message: str) -> str | None:
    for roles, known_kind, pattern, reason in KNOWN_DEFECTS:
        if role in roles and kind == known_kind and re.search(pattern, message):
            return reason
    return None


@pytest.mark.parametrize("role", ROLES)
def test_crawl(browser, crawl_site, report, role):
    raw_values = raw_choice_values()
    before = _last_audit_id(crawl_site.db_path)
    result = crawl(browser, crawl_site, role, raw_values)
    report[role] = result
    writes = _writes_since(crawl_site.db_path, before)
    assert not writes, f"GET requests changed data as {role}: {writes[:10]}"
    assert len(result.visited) > 1, f"nothing crawled as {role}"
    problems = {}
    for kind, messages in result.problems.items():
        for message in messages:
            reason = _known(role, kind, message)
            if reason is None:
                problems.setdefault(kind, []).append(message)
            else:
                result.known.append(f"{kind}: {message} [{reason}]")
    assert problems == {}, json.dumps(problems, indent=2)
