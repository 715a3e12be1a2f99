"""Shared fixtures: one user per role, reference rows, and factories (see ``factories.py``).

The suite can run under a chosen clock (``--clock`` or ``WITHHOLD_TEST_CLOCK``), so dates that
are right only while the UTC day and the agency's day agree are caught: see ``clock.py``.
"""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import is_hypothesis_test
from hypothesis import settings as hypothesis_settings

from withhold.accounts.roles import Role

from . import clock, regressions
from .factories import CommodityFactory, UserFactory

# Property tests replay every explicit @example and every kept failing example first, then explore
# new inputs with a fresh seed within the profile's budget (``tests/regressions.py``); in CI
# (``CI=true``, set by ``.ci/run``) too, so every build explores a little further.
hypothesis_settings.load_profile(regressions.profile_name(os.environ))


def pytest_report_header(config):
    kept = len(regressions.DATABASE.kept())
    lines = [
        f"hypothesis: profile {hypothesis_settings.get_current_profile_name()}, "
        f"{kept} kept failing example(s) in tests/{regressions.STORE.name}/"
    ]
    instant = config.stash.get(_CLOCK_AT, None)
    if instant is not None:
        lines.append(
            f"clock: started at {instant.isoformat()} ({config.getoption('--clock')}), ticking"
        )
    return lines


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    test = getattr(item, "obj", None)
    if report.when == "call" and report.failed and test is not None and is_hypothesis_test(test):
        seed = getattr(test, "_hypothesis_internal_use_generated_seed", None)
        advice = regressions.FAILURE_ADVICE
        if seed is not None:
            advice += f" This run's seed: @seed({seed}) or pytest --hypothesis-seed={seed}."
        report.sections.append(("kept failing example", advice))


def pytest_sessionfinish(session):
    session.config._kept_examples = regressions.DATABASE.keep_failures()


def pytest_terminal_summary(terminalreporter, config):
    written = getattr(config, "_kept_examples", [])
    if written:
        terminalreporter.section("kept failing examples", yellow=True)
        terminalreporter.line(
            f"{len(written)} new failing example(s) written to tests/{regressions.STORE.name}/; "
            "commit them with the fix (they are replayed first by every run, CI included):"
        )
        for path in written:
            terminalreporter.line(f"  {path.relative_to(regressions.STORE.parents[1])}")


_CLOCK_AT = pytest.StashKey[datetime]()


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("WITHHOLD_TEST_CLOCK", ""),
        help="Run the whole session with the clock moved there and ticking: "
        + ", ".join(clock.PRESETS)
        + " (today at that wall time) or an ISO date-time with offset. "
        "Default: $WITHHOLD_TEST_CLOCK, else the real clock.",
    )


def pytest_configure(config):
    spec = config.getoption("--clock")
    if not spec:
        return
    try:
        instant = clock.instant_of(spec)
    except clock.ClockError as exc:
        raise pytest.UsageError(str(exc)) from exc
    clock.start(instant)
    config.stash[_CLOCK_AT] = instant


def pytest_unconfigure(config):
    clock.stop()


# 23:30 in New York on 7 December 2026 is 04:30 UTC on the 8th: the UTC day is already tomorrow.
NY_LATE_EVENING = datetime(2026, 12, 7, 23, 30, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def ny_late_evening():
    """The clock stopped at ``NY_LATE_EVENING`` for the test (list it first, so the fixtures after
    it run then too); yields the agency's date, 2026-12-07."""
    with time_machine.travel(NY_LATE_EVENING, tick=False):
        yield NY_LATE_EVENING.date()


@pytest.fixture
def make_user(db):
    def make(role: Role | None = None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


def _role_fixture(role: Role):
    @pytest.fixture
    def fixture(make_user):
        return make_user(role, username=role.value)

    return fixture


intake_analyst = _role_fixture(Role.INTAKE_ANALYST)
case_analyst = _role_fixture(Role.CASE_ANALYST)
supervisor = _role_fixture(Role.SUPERVISOR)
chief_counsel = _role_fixture(Role.CHIEF_COUNSEL)
approving_official = _role_fixture(Role.APPROVING_OFFICIAL)
targeting_analyst = _role_fixture(Role.TARGETING_ANALYST)
port_officer = _role_fixture(Role.PORT_OFFICER)
hsi_liaison = _role_fixture(Role.HSI_LIAISON)
importer = _role_fixture(Role.IMPORTER)
public_reader = _role_fixture(Role.PUBLIC)


@pytest.fixture
def commodity(db):
    return CommodityFactory(name="Cotton", hs_code="5201")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` are skipped when the suite runs on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
