#!/usr/bin/env python
"""Load benchmark: drive a running Withhold (gunicorn, PostgreSQL, Redis) over loopback with a
mix of requests from this second process, bounded in request count and time.

    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8713 --username bench \\
        --password PASSWORD --token TARGETER_API_TOKEN [--requests 6000] [--max-seconds 60] [--concurrency 16]
        [--baseline-requests 2000] [--edits-per-second 2 --editor-token CASE_ANALYST_API_TOKEN]

``make bench-load`` starts the stack (see the Makefile), runs this, and stops it.

The mix is the table ``MIX`` below: each kind has a weight, a method, a path (a function of the
numbers discovered at start) and who sends it: anonymous, the signed-in case analyst (session
cookie) or the targeting analyst (API token, for ``POST /api/screening/``). The weights and
why are in the comment above ``MIX`` and in docs/benchmarks.md. Every kind counts its own requests, errors (a status other than expected,
or a connection failure) and latencies; the report gives throughput, p50/p95/p99 and errors per
kind and overall, then the same driver against ``/healthz`` (the baseline: what the server and
this client manage on this machine with no application work).

Public intake submissions go through ``POST /api/allegations/`` from one address: the server's
intake rate limit must allow them (``WITHHOLD_INTAKE_SUBMIT_RATE``, set by ``make bench-load``
for the benchmark only). Every submission is marked in its text as made by the load benchmark.
"""

import argparse
import http.client
import itertools
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit


@dataclass
class Kind:
    name: str
    weight: int
    method: str
    path: Callable[[dict], str]
    signed_in: str = ""  # "" anonymous, "analyst" (session), "targeter" (API token)
    body: Callable[[int], bytes] | None = None
    expect: tuple[int, ...] = (200,)


def _submission(n: int) -> bytes:
    return json.dumps(
        {
            "reasons": (
                f"LOAD BENCHMARK submission {n}, not a real report. Workers say the mill keeps "
                "their passports and withholds wages for the first year of work."
            ),
            "merchandise_description": "Benchmark cotton yarn",
            "country": "CN",
            "submitter_type": "ngo",
            "anonymous": True,
        }
    ).encode()


def _screening_lines(n: int) -> bytes:
    """Five entry lines, one naming a demo order's manufacturer, the rest ordinary goods."""
    lines = [
        {
            "line_id": f"bench-{n}-{i}",
            "entry_number": f"BNC-{n:07d}-{i}",
            "entry_date": "2026-11-02",
            "importer_name": "Benchmark Imports LLC",
            "manufacturer_name": name,
            "country_of_origin": country,
            "hts_code": hts,
            "description": description,
        }
        for i, (name, country, hts, description) in enumerate(
            [
                ("Hoshine Silicon Industry Co., Ltd.", "CN", "2804.61.0000", "silicon metal"),
                ("Pacific Table Linens Ltd", "VN", "6302.51.0000", "cotton table linen"),
                ("Andes Copper Wire SA", "PE", "8544.49.3080", "insulated copper wire"),
                ("Lakeside Garments Co", "BD", "6109.10.0012", "cotton t-shirts"),
                ("Northern Tomato Processing", "MX", "2002.90.8050", "tomato paste"),
            ]
        )
    ]
    return json.dumps({"lines": lines}).encode()


# Weights: what a working day looks like. The public register is the page most people read
# (importers, researchers, the press): 30 between the page and its CSV. Analysts spend the day
# in cases: 45 between the list and case pages. Targeting analysts screen entry lines through
# the API all day in small batches: 15. Public intake submissions are rarer than any read: 10.
MIX: list[Kind] = [
    Kind(
        "intake submission",
        10,
        "POST",
        lambda d: "/api/allegations/",
        body=_submission,
        expect=(201,),
    ),
    Kind("case list", 20, "GET", lambda d: "/cases/", signed_in="analyst"),
    Kind(
        "case detail",
        25,
        "GET",
        lambda d: f"/cases/{random.choice(d['cases'])}/",
        signed_in="analyst",
    ),
    Kind("register page", 20, "GET", lambda d: "/register/"),
    Kind("register CSV", 10, "GET", lambda d: "/register/?format=csv"),
    Kind(
        "screening API",
        15,
        "POST",
        lambda d: "/api/screening/",
        signed_in="targeter",
        body=_screening_lines,
    ),
]
BASELINE = [Kind("healthz", 1, "GET", lambda d: "/healthz")]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)


class Client:
    """One keep-alive connection; cookies kept by hand (the site may mark them Secure)."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict | None = None,
        cookies: bool = True,
    ) -> tuple[int, bytes]:
        headers = dict(headers or {})
        headers["Host"] = f"{self.host}:{self.port}"
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError, TimeoutError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        if cookies:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.headers.get("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, data

    def sign_in(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            sys.exit(f"The sign-in page answered {status} without a CSRF token.")
        body = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()}
        ).encode()
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            sys.exit(f"Could not sign in as {username} (status {status}).")


def discover(base: str, username: str, password: str) -> dict:
    client = Client(base)
    client.sign_in(username, password)
    status, body = client.request(
        "GET", "/api/cases/?page=1", headers={"Accept": "application/json"}
    )
    if status != 200:
        sys.exit(f"/api/cases/ answered {status}: is the analyst able to see cases?")
    cases = [row["number"] for row in json.loads(body)["results"]]
    if not cases:
        sys.exit("No cases to read: load the demo data first (withhold load-demo).")
    return {"cases": cases}


@dataclass
class Session:
    """One simulated user's connections: signed in (cookies), public (none), API (token)."""

    signed_in: Client
    public: Client
    api: Client


def sessions(base: str, count: int, username: str, password: str) -> list[Session]:
    """``count`` sessions, each signed in once, before anything is timed: a sign-in hashes the
    password (a quarter of a second of server CPU by design) and is not part of the mix."""
    made = []
    for _ in range(count):
        session = Session(Client(base), Client(base), Client(base))
        session.signed_in.sign_in(username, password)
        made.append(session)
    return made


@dataclass
class Edits:
    sent: int = 0
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)


def editor(base: str, data: dict, token: str, per_second: float, stop: threading.Event) -> Edits:
    """While the mix runs, a case analyst edits one of the cases read by the mix ``per_second``
    times a second (``PATCH /api/cases/<number>/``, the priority changed, with the version just
    read): every edit changes a case page and the case list for every reader, so the pages kept
    in the server's memory are drawn again. Not part of the mix's figures."""
    edits = Edits()
    client = Client(base)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    rng = random.Random(7)
    turn = {"high": "medium", "medium": "low", "low": "high"}
    while not stop.wait(1 / per_second):
        number = rng.choice(data["cases"])
        try:
            status, body = client.request("GET", f"/api/cases/{number}/", None, headers, False)
            case = json.loads(body)
            change = json.dumps(
                {"priority": turn.get(case.get("priority"), "medium"), "version": case["version"]}
            ).encode()
            status, _ = client.request(
                "PATCH",
                f"/api/cases/{number}/",
                change,
                {**headers, "Content-Type": "application/json"},
                False,
            )
            error = None if status == 200 else f"status {status}"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        edits.sent += 1
        if error:
            edits.errors += 1
            if len(edits.first_errors) < 3:
                edits.first_errors.append(error)
    return edits


def run(
    mix: list[Kind],
    data: dict,
    *,
    requests: int,
    max_seconds: float,
    users: list[Session],
    token: str,
) -> tuple[dict[str, Tally], float]:
    """Each of ``users`` sends requests drawn from ``mix`` by weight, one at a time, until
    ``requests`` have been sent between them or ``max_seconds`` have passed."""
    tallies = {kind.name: Tally() for kind in mix}
    schedule = [kind for kind in mix for _ in range(kind.weight)]
    counter = itertools.count()
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def worker(number: int) -> None:
        rng = random.Random(number)
        user = users[number]
        while time.monotonic() < deadline:
            n = next(counter)
            if n >= requests:
                return
            kind = schedule[rng.randrange(len(schedule))]
            who = {"analyst": user.signed_in, "targeter": user.api}.get(kind.signed_in, user.public)
            body = kind.body(n) if kind.body else None
            headers = {"Content-Type": "application/json"} if body else {}
            if kind.signed_in == "targeter":
                headers["Authorization"] = f"Token {token}"
            started = time.perf_counter()
            try:
                status, _ = who.request(
                    kind.method,
                    kind.path(data),
                    body,
                    headers,
                    cookies=kind.signed_in == "analyst",
                )
                error = None if status in kind.expect else f"status {status}"
            except Exception as exc:  # a failed connection is an error of this kind
                error = f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            with lock:
                tally = tallies[kind.name]
                tally.latencies.append(elapsed)
                if error:
                    tally.errors += 1
                    if len(tally.first_errors) < 3:
                        tally.first_errors.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(users))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tallies, time.perf_counter() - started


def server_cpu_seconds(pid: int | None) -> float | None:
    """CPU seconds used so far by the gunicorn master ``pid`` and its workers, live and reaped
    (Linux /proc; None elsewhere or without a pid). PostgreSQL's own CPU is not included."""
    if not pid:
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def stat(p: int | str) -> list[str]:
        text = Path(f"/proc/{p}/stat").read_text()
        return text[text.rindex(")") + 2 :].split()

    try:
        fields = stat(pid)
        # utime, stime, and cutime, cstime (workers already reaped, e.g. after max_requests).
        total = sum(int(fields[i]) for i in (11, 12, 13, 14))
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            for child in children.read_text().split():
                child_fields = stat(child)
                total += int(child_fields[11]) + int(child_fields[12])
    except (OSError, ValueError, IndexError):
        return None
    return total / tick


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def report(title: str, tallies: dict[str, Tally], seconds: float) -> dict:
    print(f"\n{title}")
    print("| kind | requests | errors | req/s | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    everything: list[float] = []
    errors = 0
    for name, tally in tallies.items():
        everything += tally.latencies
        errors += tally.errors
        print(
            f"| {name} | {len(tally.latencies)} | {tally.errors} | "
            f"{len(tally.latencies) / seconds:.0f} | {percentile(tally.latencies, 50) * 1000:.1f} | "
            f"{percentile(tally.latencies, 95) * 1000:.1f} | "
            f"{percentile(tally.latencies, 99) * 1000:.1f} |"
        )
    summary = {
        "requests": len(everything),
        "errors": errors,
        "rps": len(everything) / seconds,
        "p50": percentile(everything, 50) * 1000,
        "p95": percentile(everything, 95) * 1000,
        "p99": percentile(everything, 99) * 1000,
        "mean": statistics.fmean(everything) * 1000 if everything else float("nan"),
    }
    print(
        f"| **all** | {summary['requests']} | {errors} | {summary['rps']:.0f} | "
        f"{summary['p50']:.1f} | {summary['p95']:.1f} | {summary['p99']:.1f} |"
    )
    print(f"({seconds:.1f} s)")
    for name, tally in tallies.items():
        for error in tally.first_errors:
            print(f"  {name}: {error}")
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8713")
    parser.add_argument("--username", default="bench")
    parser.add_argument("--password", required=True)
    parser.add_argument(
        "--token", required=True, help="API token of a targeting analyst (the screening API)"
    )
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--baseline-requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument(
        "--server-pid", type=int, help="gunicorn master's pid: report its CPU per request"
    )
    parser.add_argument(
        "--edits-per-second",
        type=float,
        default=0.0,
        help="while the mix runs, a case analyst edits a case this often (needs --editor-token)",
    )
    parser.add_argument("--editor-token", default="", help="API token of a case analyst")
    args = parser.parse_args()

    data = discover(args.url, args.username, args.password)
    common = dict(
        users=sessions(args.url, args.concurrency, args.username, args.password),
        token=args.token,
    )
    run(MIX, data, requests=args.warmup, max_seconds=30, **common)
    print(
        f"Load benchmark against {args.url}: {args.concurrency} concurrent clients, "
        f"at most {args.requests} requests or {args.max_seconds:.0f} s; mix weights: "
        + ", ".join(f"{k.name} {k.weight}" for k in MIX)
    )
    if args.edits_per_second > 0 and not args.editor_token:
        sys.exit("--edits-per-second needs --editor-token (a case analyst's API token).")
    stop = threading.Event()
    edits: list[Edits] = []
    if args.edits_per_second > 0:
        print(f"A case analyst edits a case {args.edits_per_second:g} times a second meanwhile.")
        editing = threading.Thread(
            target=lambda: edits.append(
                editor(args.url, data, args.editor_token, args.edits_per_second, stop)
            )
        )
        editing.start()
    cpu_before = server_cpu_seconds(args.server_pid)
    tallies, seconds = run(
        MIX, data, requests=args.requests, max_seconds=args.max_seconds, **common
    )
    cpu_after = server_cpu_seconds(args.server_pid)
    stop.set()
    if edits or args.edits_per_second > 0:
        editing.join()
        done = edits[0]
        print(
            f"Edits during the mix: {done.sent} ({done.sent / seconds:.1f} a second), "
            f"{done.errors} errors" + "".join(f"\n  edit: {e}" for e in done.first_errors)
        )
    summary = report("Mix", tallies, seconds)
    if cpu_before is not None and cpu_after is not None and summary["requests"]:
        used = cpu_after - cpu_before
        print(
            f"gunicorn CPU during the mix: {used:.1f} s for {summary['requests']} requests = "
            f"{used / summary['requests'] * 1000:.1f} ms per request "
            f"({used / seconds:.2f} of {os.cpu_count()} CPUs; PostgreSQL's not counted)"
        )
    base_tallies, base_seconds = run(
        BASELINE,
        data,
        requests=args.baseline_requests,
        max_seconds=args.max_seconds,
        **common,
    )
    baseline = report("Baseline: /healthz with the same driver", base_tallies, base_seconds)
    print(
        f"\nMix: {summary['rps']:.0f} req/s, p95 {summary['p95']:.0f} ms, {summary['errors']} "
        f"errors; baseline {baseline['rps']:.0f} req/s. Target: >= 200 req/s, p95 < 250 ms, "
        "0 errors."
    )
    return 1 if summary["errors"] or (edits and edits[0].errors) else 0


if __name__ == "__main__":
    sys.exit(main())
