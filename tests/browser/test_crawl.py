"""Every role's pages, crawled in Chromium on the demo data set, checked for what a reader notices.

A server of its own (``crawl_site``) runs on a fresh SQLite database with the reference data, the
demo data (``withhold load-demo``) and unique markers planted in fields that must never leave the
division (order internal notes, counsel's opinion, the CEE recommendation, law-enforcement-
sensitive cases, allegation submitters, internal file names), instants planted in the agency's
evening and an entity merged into another (``PLANT``). Then, for each demo account and for
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
(f) no table cell or ``<dd>`` showing a bare number of 1,000 or more without a thousands separator;
(g) no planted instant dated by UTC: the instants pages turn into dates (case openings, read
    by the phase stepper; order drafts, by the order history; allegation receipts) are moved to
    the evening (from 20:30 New York) of a past day that no date of the data falls on, nor the
    day after, which is their date in UTC. The next day, in any way the site writes a date
    (``DATE_FORMATS``), may appear on no page or download; the day itself must appear on the
    case, order and allegation pages (``test_crawl_reached_every_seam``);
(h) no form offers an input for a field the services declare derived
    (``cases.services.DERIVED_FIELDS``: a case's evidence sources).

The crawl fetches with GET only: afterwards no audit row other than "viewed" or "downloaded" may
have been written (a link that changes state would show up here). Then, as the same role, it
probes what it was offered:

(i) each POST form with a date field the services refuse after today (``past_event_dates``:
    the ``PAST_EVENT_DATES`` the detention and case rules iterate) is sent tomorrow's agency
    date, other fields as drawn (required empty ones filled): the field must show the error;
(j) each form with a file input is sent plain text named ``certificate.pdf`` (as a certificate
    of origin where it has a kind select), and a form filing a kind that cannot be text is sent
    plain text named ``certificate.txt``: refused, with a message naming the file;
(k) an entity merged into another before the crawl: its old page leads to the survivor's, and
    its old name, searched in the entity list and the case list, finds what the survivor's name
    finds;
(l) an import with numeric columns (``NUMERIC_IMPORTS``, its columns read from its page) is
    sent values only ``int()``/``Decimal()`` would take or that they refuse (``½``,
    ``12,34,5``, ``1e3``): each named in the errors by row and column;
(m) no probe stores anything (no audit row is written).

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
from datetime import date, timedelta
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

# The made-up name of an entity merged into another before the crawl.
MERGED = "DEMO Vexmoor Spinning Mill Sdn. Bhd."

PLANT = """
import json
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

# Instants in the agency's evening: from 20:30 New York on a past day that no date of the data
# falls on (nor the day after), which in UTC is already the next day. A page that takes the UTC
# date of one of them shows a day that nothing else in the data has.
import datetime as dt
from zoneinfo import ZoneInfo
from django.apps import apps
from django.db import models
from django.utils import timezone
from withhold.cases.models import CaseTransition

used = set()
for model in apps.get_models():
    for model_field in model._meta.concrete_fields:
        if not isinstance(model_field, models.DateField):  # DateTimeField included
            continue
        values = model.objects.exclude(**{{model_field.name: None}}).values_list(
            model_field.name, flat=True
        ).distinct()
        for value in values:
            if isinstance(value, dt.datetime):
                used.add(timezone.localdate(value))
                used.add(timezone.localdate(value, dt.timezone.utc))
            else:
                used.add(value)
day = timezone.localdate() - dt.timedelta(days=120)
while any(day + dt.timedelta(days=n) in used for n in (-1, 0, 1, 2)):
    day -= dt.timedelta(days=1)
evening = dt.datetime.combine(day, dt.time(20, 30), tzinfo=ZoneInfo("America/New_York"))
planted = 0
for queryset in (
    CaseTransition.objects.filter(kind=CaseTransition.Kind.OPENED).order_by("at", "id"),
    Order.objects.order_by("created_at", "id"),
    Allegation.objects.order_by("created_at", "id"),
):
    name = "at" if queryset.model is CaseTransition else "created_at"
    for pk in list(queryset.values_list("pk", flat=True)):
        instant = evening + dt.timedelta(seconds=planted)
        assert timezone.localdate(instant) == day
        assert timezone.localdate(instant, dt.timezone.utc) == day + dt.timedelta(days=1)
        queryset.model.objects.filter(pk=pk).update(**{{name: instant}})
        planted += 1

# An entity merged into one of a visible case's entities: its old id and old name must lead to
# the survivor.
from withhold.cases.models import CaseEntity
from withhold.entities import services as entity_services
from withhold.evidence import services as evidence_services

analyst = User.objects.get(username="analyst")
link = (
    CaseEntity.objects.filter(case__law_enforcement_sensitive=False)
    .select_related("entity").order_by("id").first()
)
survivor = link.entity
merged = entity_services.entity_create(
    actor=analyst, is_demo=True, kind=survivor.kind, country=survivor.country,
    name={merged_name!r},
)
merged_id = merged.pk
evidence_services.entity_merge(survivor=survivor, duplicate=merged, actor=analyst)
print("PLANTED " + json.dumps({{
    "les_cases": backing.count(),
    "agency_day": day.isoformat(),
    "instants": planted,
    "merged_id": merged_id,
    "merged_name": {merged_name!r},
    "survivor_id": survivor.pk,
    "survivor_name": survivor.name,
    "survivor_cases": sorted(
        CaseEntity.objects.filter(entity=survivor).values_list("case__number", flat=True)
    ),
}}))
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
  // Forms that write (POST): what they offer, for the probes after the crawl.
  const posts = [];
  Array.from(document.querySelectorAll("form")).forEach((form, index) => {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    const fields = [];
    for (const el of form.elements) {
      const type = (el.type || "").toLowerCase();
      if (!el.name || el.tagName === "BUTTON" || ["submit", "reset", "button"].includes(type)) continue;
      fields.push({
        name: el.name, type, disabled: el.disabled,
        options: el.tagName === "SELECT" ? Array.from(el.options).map(o => o.value) : [],
      });
    }
    posts.push({action: new URL(form.getAttribute("action") || "", document.baseURI).href, index, fields});
  });
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
    links, forms, posts, cells, keys,
    text: document.body.innerText,
    summary: summary ? summary.innerText.trim() : "",
    count: count ? count.innerText.trim() : "",
    title: document.title,
  };
}
"""


# A POST form of the page, submitted by the browser's own fetch (its CSRF token and values as
# drawn; required fields left empty filled plausibly), with some fields set and perhaps a file.
# Answers the response's status and URL, each named field's inline error, the error summary and
# the rows of an import's error table, read from the HTML the server sent back.
SUBMIT_FORM = r"""
async ({index, values, file, today, names}) => {
  const form = document.querySelectorAll("form")[index];
  const data = new FormData(form);
  // The form's main button where it has several named ones ("Send report", not "Check").
  const named = Array.from(form.querySelectorAll("button[name], input[type=submit][name]"));
  const submitter = named.find(b => !/outline|secondary|unstyled/.test(b.className)) || named[0];
  if (submitter) data.set(submitter.name, submitter.value);
  for (const el of form.elements) {
    const type = (el.type || "").toLowerCase();
    if (type === "email" && !el.disabled && el.name && !data.get(el.name)) {
      data.set(el.name, "probe@example.org");  // a way to answer, where one may be given
    }
    if (!el.name || el.disabled || !el.required || type === "file") continue;
    if (type === "checkbox" || type === "radio") {
      if (!data.has(el.name)) data.set(el.name, el.value || "on");
    } else if (el.tagName === "SELECT") {
      const first = Array.from(el.options).find(o => o.value);
      if (!data.get(el.name) && first) data.set(el.name, first.value);
    } else if (!data.get(el.name)) {
      data.set(el.name, {date: today, number: "1", email: "probe@example.org"}[type] || "demo-probe");
    }
  }
  // Radio buttons and boxes of a list with none chosen: the first (a single box stays unticked).
  for (const el of form.elements) {
    const type = (el.type || "").toLowerCase();
    if (el.disabled || !el.name || !["radio", "checkbox"].includes(type) || data.has(el.name)) continue;
    if (type === "radio" || form.querySelectorAll(`[name="${el.name}"]`).length > 1) {
      data.set(el.name, el.value);
    }
  }
  // A field confirming the sending (the report's "send it as it is"): confirmed.
  for (const el of form.elements) {
    if (el.name && el.name.startsWith("confirm") && !data.get(el.name)) data.set(el.name, "on");
  }
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  if (file) {
    for (const name of file.fields) data.set(name, new File([file.text], file.name, {type: file.type}));
  }
  // The form's attribute: ``form.action`` is an input when the form has one named "action".
  const action = new URL(form.getAttribute("action") || "", document.baseURI).href;
  const response = await fetch(action, {method: "POST", body: data, credentials: "same-origin"});
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const errors = {};
  for (const name of names) {
    const el = doc.querySelector(`[name="${name}"]`);
    const ids = el ? (el.getAttribute("aria-describedby") || "").split(/\s+/) : [];
    errors[name] = ids.map(id => doc.getElementById(id))
      .filter(e => e && e.classList.contains("usa-error-message"))
      .map(e => e.textContent.trim()).join(" ");
  }
  const summary = doc.querySelector(".withhold-error-summary");
  const main = doc.querySelector("main") || doc.body;
  const rows = Array.from(doc.querySelectorAll("#import-errors tbody tr"))
    .map(tr => Array.from(tr.children).map(td => td.textContent.trim()));
  return {
    status: response.status, url: response.url, errors, rows,
    text: main ? main.textContent.replace(/\s+/g, " ").trim() : "",
    summary: summary ? summary.textContent.replace(/\s+/g, " ").trim() : "",
  };
}
"""


@dataclass
class CrawlSite:
    url: str
    db_path: Path
    password: str
    planted: dict  # what PLANT printed: the agency day of the planted instants, the merged entity


@dataclass
class RoleResult:
    role: str
    visited: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    known: list[str] = field(default_factory=list)
    markers_seen: set[str] = field(default_factory=set)
    # Pages and files showing the agency day of the planted instants.
    dated: list[str] = field(default_factory=list)
    # The probes made after the crawl, by kind ("future date", "file kind", "import numbers",
    # "merged entity page", "merged name search").
    probes: Counter = field(default_factory=Counter)
    # Audit rows the crawl's GET requests wrote (none may be but "viewed" and "downloaded").
    crawl_writes: list[str] = field(default_factory=list)
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


def _planted(output: str) -> dict:
    line = next((x for x in output.splitlines() if x.startswith("PLANTED ")), None)
    assert line, f"the markers were not planted:\n{output}"
    return json.loads(line.removeprefix("PLANTED "))


@dataclass(frozen=True)
class Days:
    """The day the planted instants fall on in New York, and the next day (their UTC date), each
    as a pattern of every way the site writes a date."""

    agency: str
    agency_pattern: re.Pattern
    utc_pattern: re.Pattern


# Every way a page, a download or a PDF writes a date: ISO, the site's "Aug. 9, 2026" and
# "March 1, 2019", the month in full or short, US numeric.
DATE_FORMATS = [
    "Y-m-d",
    "N j, Y",
    "F j, Y",
    "M j, Y",
    "M. j, Y",
    "m/d/Y",
    "n/j/Y",
    "j F Y",
    "j M Y",
]
# A timestamp with its UTC offset (an API's or a feed's) is right in any zone: not a date.
INSTANT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)")


def _day_pattern(day: date) -> re.Pattern:
    from django.utils import dateformat

    texts = sorted({dateformat.format(day, f) for f in DATE_FORMATS}, key=len, reverse=True)
    return re.compile(r"(?<![\w/-])(?:" + "|".join(map(re.escape, texts)) + r")(?![\w/]|-\d)")


def _days(planted: dict) -> Days:
    day = date.fromisoformat(planted["agency_day"])
    return Days(
        agency=planted["agency_day"],
        agency_pattern=_day_pattern(day),
        utc_pattern=_day_pattern(day + timedelta(days=1)),
    )


def _check_dates(result: "RoleResult", where: str, text: str, days: Days) -> None:
    """(g): no planted instant dated by UTC; where the agency day shows, note it."""
    text = INSTANT.sub(" ", text)
    found = days.utc_pattern.search(text)
    if found:
        result.add(
            "g: instants dated in UTC",
            f"{where}: shows {found.group(0)!r}, the UTC date of instants planted in the evening "
            f"of {days.agency} in New York",
        )
    if days.agency_pattern.search(text):
        result.dated.append(where)


def past_event_dates() -> set[str]:
    """The names of the date fields the services refuse after today, as their rules declare
    them (``PAST_EVENT_DATES`` of the case and detention services; a disposition's date under
    its form name). Read from the declarations, not by asking the rules: a rule reverted would
    otherwise take its fields out of the probe."""
    from withhold.cases import services as cases
    from withhold.detentions import services as detentions

    names = set(cases.PAST_EVENT_DATES) | set(detentions.PAST_EVENT_DATES)
    if "disposed_on" in detentions.PAST_EVENT_DATES:
        names.add(detentions.DISPOSITION_DATE)
    return names


def derived_fields() -> set[str]:
    """Fields no form may offer: the ones the services declare derived."""
    from withhold.cases.services import DERIVED_FIELDS

    return set(DERIVED_FIELDS)


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
    planted = _planted(_run(env, "shell", "-c", PLANT.format(markers=MARKERS, merged_name=MERGED)))
    with running_server(env, log_name="crawl-server.log") as url:
        yield CrawlSite(
            url=url,
            db_path=var_dir / "withhold.sqlite3",
            password=DEMO_PASSWORD,
            planted=planted,
        )


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
                "probes": dict(r.probes),
                "agency_day_shown_on": r.dated,
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
            f"  probes: {sum(r.probes.values())}"
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


def _check_download(
    result: RoleResult, context: BrowserContext, url: str, data: dict, days: Days
) -> None:
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
        _check_dates(result, href, body, days)
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
    result: RoleResult, url: str, data: dict, html: str, raw_values: dict[str, str], days: Days
) -> None:
    _check_dates(result, url, data["text"], days)
    derived = derived_fields()
    for form in data["posts"]:
        offered = derived & {f["name"] for f in form["fields"]}
        if offered:
            result.add(
                "h: derived fields offered",
                f"{url}: the form posting to {_clean(form['action'])} has an input for "
                f"{', '.join(sorted(offered))}, which is derived and never set by hand",
            )
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
    days = _days(site.planted)
    audit_before = _last_audit_id(site.db_path)
    # The POST forms offered, one of each kind (its action's path and its fields), with the page
    # that offered it; and the search forms of the entity and case lists (their fields).
    posts: dict[tuple, tuple[str, dict]] = {}
    searches: dict[str, list] = {}
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
                continue
            body = answer.body().decode("utf-8", "replace")
            _check_dates(result, url, body, days)
            if role in OUTSIDERS:
                for what, marker in MARKERS.items():
                    if marker.lower() in body.lower():
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
        _check_page(result, url, data, page.content(), raw_values, days)
        _check_download(result, context, url, data, days)
        for link in data["links"]:
            offer(link["href"], url)
        for form in data["posts"]:
            if _wanted(form["action"], site.url):
                names = tuple(sorted({f["name"] for f in form["fields"]}))
                posts.setdefault((_pattern(_clean(form["action"]))[0], names), (url, form))
        for form in data["forms"]:
            action = form["action"] or page.url
            if not _wanted(action, site.url):
                continue
            base = urlsplit(action)
            if base.path in ("/entities/", "/cases/") and any(k == "q" for k, _ in form["fields"]):
                searches.setdefault(base.path, form["fields"])
            defaults = [(k, v) for k, v in form["fields"]]
            offer(urlunsplit(("", "", base.path, urlencode(defaults), "")), url)
            for name, value in form["selects"]:
                fields = [(k, v) for k, v in defaults if k != name] + [(name, value)]
                offer(urlunsplit(("", "", base.path, urlencode(fields), "")), url)
    # The crawl itself only reads: no audit row but "viewed" and "downloaded" (checked before the
    # probes, which report their own writes).
    result.crawl_writes = _writes_since(site.db_path, audit_before)
    _probe_merged(result, page, site, searches)
    _probe_forms(result, page, site, posts)
    context.close()
    result.seconds = time.monotonic() - started
    return result


def _listing(page, path: str, fields: list, q: str) -> list[str]:
    """The first cells of the rows a list page shows when searched for ``q`` (its other fields
    as its form has them)."""
    query = urlencode([(k, v) for k, v in fields if k != "q"] + [("q", q)])
    page.goto(f"{path}?{query}", wait_until="domcontentloaded")
    return [row[0] for row in page.evaluate(READ_PAGE)["keys"] if row]


def _probe_merged(result: RoleResult, page, site: CrawlSite, searches: dict[str, list]) -> None:
    """An entity merged into another (planted): its old page leads to the survivor's, and its
    old name, searched in the entity list and the case list, finds what the survivor's name
    finds. Only where the role is shown the survivor (its page, or its name found)."""
    planted = site.planted
    old, survivor = planted["merged_id"], planted["survivor_id"]
    own = page.goto(f"/entities/{survivor}/", wait_until="domcontentloaded")
    if own and own.status == 200 and urlsplit(page.url).path == f"/entities/{survivor}/":
        answer = page.goto(f"/entities/{old}/", wait_until="domcontentloaded")
        result.probes["merged entity page"] += 1
        if (
            answer is None
            or answer.status >= 400
            or urlsplit(page.url).path != f"/entities/{survivor}/"
        ):
            result.add(
                "k: merged entities lost",
                f"/entities/{old}/ (merged into /entities/{survivor}/) answers "
                f"{answer.status if answer else '?'} at {_clean(page.url)}",
            )
    for path, fields in searches.items():
        wanted = [planted["survivor_name"]] if path == "/entities/" else planted["survivor_cases"]
        control = [k for k in _listing(page, path, fields, planted["survivor_name"]) if k in wanted]
        if not control:
            continue
        found = _listing(page, path, fields, planted["merged_name"])
        result.probes["merged name search"] += 1
        missing = [k for k in control if k not in found]
        if missing:
            result.add(
                "k: merged entities lost",
                f"{path}?q={planted['merged_name']!r} (a name merged into "
                f"{planted['survivor_name']!r}) does not list {missing}; it lists {found[:5]}",
            )


# Uploaded to every form with a file input: plain text under a PDF's name. And to every form
# that files an upload as a kind of document that cannot be text (a certificate of origin): plain
# text under its own name, which only the kind's rule refuses.
FAKE_PDF = {
    "name": "certificate.pdf",
    "type": "application/pdf",
    "text": "DEMO probe: plain text named as a PDF certificate of origin.\n",
}
PLAIN_TEXT = {**FAKE_PDF, "name": "certificate.txt", "type": "text/plain"}


def kinds_not_text(options: list[str]) -> set[str]:
    """Of a kind select's options, the kinds of detention document whose content may not be
    text (``DetentionDocument.KIND_TYPES``); none when the select is another vocabulary (an
    evidence item's kinds)."""
    from withhold.core.files import CSV, TEXT
    from withhold.detentions.models import DetentionDocument

    if not set(options) - {""} <= set(DetentionDocument.Kind.values):
        return set()
    return {k for k, types in DetentionDocument.KIND_TYPES.items() if not types & {TEXT, CSV}}


# Imports with numeric columns: a value for each that ``int()`` or ``Decimal()`` would refuse
# or misread (the one number parser, ``core.numbers``, refuses them all by row and column).
NUMERIC_IMPORTS = {
    "/detentions/import/": {"entry_line": "½", "quantity": "12,34,5", "value_usd": "1e3"},
}


def _submit(page, url: str, form: dict, values: dict, names: list[str], file=None) -> dict:
    from django.utils import timezone

    if _clean(page.url) != url:
        page.goto(url, wait_until="domcontentloaded")
    return page.evaluate(
        SUBMIT_FORM,
        {
            "index": form["index"],
            "values": values,
            "file": file,
            "today": timezone.localdate().isoformat(),
            "names": names,
        },
    )


def _probe_forms(result: RoleResult, page, site: CrawlSite, posts: dict) -> None:
    """Submit each POST form the role was offered with what the services must refuse, and
    check that the page names the problem and nothing was stored:

    (i) tomorrow (in the agency's day) in each date field the services declare a past event;
    (j) a plain-text file named ``certificate.pdf`` in its file inputs (as a certificate of
        origin where the form has a kind), and, where it files as a kind that cannot be text,
        plain text named ``certificate.txt``: refused, naming the file;
    (l) in an import with numeric columns, a value for each that only ``int()``/``Decimal()``
        would take or that they refuse, named by row and column.
    """
    from django.utils import timezone

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    past = past_event_dates()
    for (path, _names), (url, form) in posts.items():
        fields = [f for f in form["fields"] if not f["disabled"]]
        tries = []
        for f in fields:
            if f["type"] == "date" and f["name"] in past:
                tries.append(("future date", {f["name"]: tomorrow}, f["name"], None))
        files = [f["name"] for f in fields if f["type"] == "file"]
        if files and path in NUMERIC_IMPORTS:
            file = {**_numeric_file(page, url, path), "fields": files[:1]}
            tries.append(("import numbers", {}, files[0], file))
        if files:
            kinds = next((f["options"] for f in fields if f["name"] == "kind"), None)
            strict = kinds_not_text(kinds if kinds is not None else [])
            kind = next((k for k in kinds or [] if k in strict), None)
            values = {"kind": kind} if kind else {}
            tries.append(("file name", values, files[0], {**FAKE_PDF, "fields": files}))
            if kind:
                tries.append(("file kind", values, files[0], {**PLAIN_TEXT, "fields": files[:1]}))
            # A file input named for the kind it files (the importer's proof form).
            for name in set(files) & kinds_not_text([f for f in files if f != "file"]):
                tries.append(("file kind", {}, name, {**PLAIN_TEXT, "fields": [name]}))
        for probe, values, name, file in tries:
            before = _last_audit_id(site.db_path)
            answer = _submit(page, url, form, values, [name], file)
            result.probes[probe] += 1
            where = f"{url} (form posting to {path}), {name}"
            writes = _writes_since(site.db_path, before)
            if writes:
                result.add("m: probes stored", f"{where}: the {probe} probe stored {writes[:3]}")
            if probe == "future date":
                error = answer["errors"].get(name, "")
                if not re.search(r"after today|in the future", error):
                    result.add(
                        "i: future dates accepted",
                        f"{where} = {tomorrow} (tomorrow): no error on the field "
                        f"(status {answer['status']}, field error {error!r}, "
                        f"summary {answer['summary'][:200]!r})",
                    )
            elif probe in ("file name", "file kind"):
                sent = file["name"]
                if sent not in answer["text"] or 300 <= answer["status"] < 400 or writes:
                    result.add(
                        "j: file content not checked",
                        f"{where}: plain text sent as {sent}"
                        + (f" (kind {values['kind']})" if values else "")
                        + f" is not refused with a message naming it (status {answer['status']}, "
                        f"{answer['summary'][:200]!r})",
                    )
            else:
                named = {(row[0], row[1]) for row in answer["rows"] if len(row) >= 3}
                for column in NUMERIC_IMPORTS[path]:
                    if ("2", column) not in named:
                        result.add(
                            "l: numbers misread",
                            f"{where}: {column} = {NUMERIC_IMPORTS[path][column]!r} is not "
                            f"refused as row 2, column {column} (errors: {answer['rows'][:6]}, "
                            f"{answer['summary'][:200]!r})",
                        )


def _numeric_file(page, url: str, path: str) -> dict:
    """A CSV for the import at ``url`` with the columns its page lists, each numeric column
    holding a value the number parser must refuse."""
    if _clean(page.url) != url:
        page.goto(url, wait_until="domcontentloaded")
    columns = page.eval_on_selector_all("main dl dt code", "els => els.map(e => e.textContent)")
    assert columns, f"{url} lists no columns"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerow([NUMERIC_IMPORTS[path].get(c, "") for c in columns])
    return {"name": "detentions.csv", "type": "text/csv", "text": out.getvalue()}


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
    result = crawl(browser, crawl_site, role, raw_values)
    report[role] = result
    writes = result.crawl_writes
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


# Where the planted instants must show their agency day, and the probes that must have run: a
# crawl that no longer reaches them proves nothing about them.
DATED_PAGES = ("/cases/", "/orders/", "/intake/")
PROBES = (
    "future date",
    "file name",
    "file kind",
    "import numbers",
    "merged entity page",
    "merged name search",
)


def test_crawl_reached_every_seam(report):
    """After every role's crawl: the planted instants were shown in their agency day on the case,
    order and allegation pages, and every probe ran for some role."""
    missing = [role for role in ROLES if role not in report]
    if missing:
        pytest.skip(f"runs after the crawl of every role (not run: {', '.join(missing)})")
    dated = {urlsplit(url).path for result in report.values() for url in result.dated}
    for prefix in DATED_PAGES:
        assert any(path.startswith(prefix) for path in dated), (
            f"no page under {prefix} showed the planted instants' day: {sorted(dated)[:20]}"
        )
    probes = sum((result.probes for result in report.values()), Counter())
    assert all(probes[probe] for probe in PROBES), f"probes run: {dict(probes)}"
