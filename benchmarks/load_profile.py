#!/usr/bin/env python
"""In-process CPU per request for each kind of the load mix (``benchmarks/load.py``).

Runs the Django test client under the settings in the environment (use the production ones,
as ``make bench-load`` does) against a database loaded with ``load-reference`` and
``load-demo``, and prints, per kind, the process CPU time per request (median and mean of
``--repeat`` requests after ``--warmup`` ones) and the number of SQL queries. ``--profile KIND``
prints a cProfile of that kind instead.

    DJANGO_SETTINGS_MODULE=withhold.settings.production DATABASE_URL=... CACHE_URL=... \\
        SECRET_KEY=... ALLOWED_HOSTS=testserver .venv/bin/python benchmarks/load_profile.py

CPU time is what bounds throughput when the machine's cores are the limit: at an average of
``c`` ms of server CPU per request, 2 cores serve at most ``2000 / c`` requests per second.
"""

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from load import MIX, _screening_lines, _submission  # noqa: E402


def clients() -> tuple[Client, Client, Client, dict]:
    from rest_framework.authtoken.models import Token

    from withhold.accounts.models import User
    from withhold.cases.models import Case

    analyst = Client()
    analyst.force_login(User.objects.get(username="analyst"))
    targeter = Client()
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="targeter"))
    targeter.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    cases = list(Case.objects.order_by("-pk").values_list("number", flat=True)[:25])
    return analyst, targeter, Client(), {"cases": cases}


def _counter(queries: list[str]):
    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def one(kind, who: Client, data: dict, n: int):
    path = kind.path(data)
    if kind.method == "POST":
        body = kind.body(n)
        return who.post(path, body, content_type="application/json")
    response = who.get(path)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


SORT = __import__("os").environ.get("PROFILE_SORT", "cumulative")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", help="kind name to profile (cProfile, top 40 cumulative)")
    args = parser.parse_args()
    assert _submission and _screening_lines
    analyst, targeter, public, data = clients()

    def client_for(kind) -> Client:
        return {"analyst": analyst, "targeter": targeter}.get(kind.signed_in, public)

    weighted = 0.0
    total_weight = 0
    print("| kind | weight | CPU ms p50 | CPU ms mean | queries | status |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in MIX:
        if args.profile and kind.name != args.profile:
            continue
        who = client_for(kind)
        for i in range(args.warmup):
            one(kind, who, data, i)
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for i in range(args.repeat):
                one(kind, who, data, i)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(SORT).print_stats(
                int(__import__("os").environ.get("PROFILE_LINES", "40"))
            )
            continue
        queries: list[str] = []
        with connection.execute_wrapper(_counter(queries)):
            response = one(kind, who, data, 0)
        times = []
        for i in range(args.repeat):
            started = time.process_time()
            response = one(kind, who, data, i)
            times.append((time.process_time() - started) * 1000)
        p50, mean = statistics.median(times), statistics.fmean(times)
        weighted += mean * kind.weight
        total_weight += kind.weight
        print(
            f"| {kind.name} | {kind.weight} | {p50:.1f} | {mean:.1f} | "
            f"{len(queries)} | {response.status_code} |"
        )
    if total_weight:
        average = weighted / total_weight
        print(
            f"\nWeighted mean CPU per request: {average:.1f} ms -> at most "
            f"{2000 / average:.0f} req/s on 2 cores (server CPU only)."
        )
    print(json.dumps({"settings": django.conf.settings.SETTINGS_MODULE}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
