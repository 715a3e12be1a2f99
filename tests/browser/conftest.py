"""Browser-test fixtures: a real ``withhold serve`` on its own SQLite database, and Chromium.

pytest-django's ``live_server`` is not used: it flushes the database between tests, and the
audit table's append-only triggers refuse that flush. The server here runs in a subprocess on a
fresh SQLite file in a temporary folder, so the tests talk to it only over HTTP, like a user.
"""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .. import clock

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PROJECT_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = PROJECT_DIR / "test-artifacts"
PASSWORD = "journey-password-1"
SERVER_START_TIMEOUT = 30.0

# The people of the journey: (username, first name, last name, role group label).
USERS_SNIPPET = """
from django.contrib.auth.models import Group
from withhold.accounts.models import User
from withhold.accounts.roles import Role

for username, first, last, role in [
    ("analyst", "Ana", "Analyst", Role.CASE_ANALYST),
    ("supervisor", "Sam", "Supervisor", Role.SUPERVISOR),
]:
    user = User.objects.create_user(username, password={password!r}, first_name=first, last_name=last)
    user.groups.set([Group.objects.get(name=role.label)])
"""


def _withhold(*args: str) -> list[str]:
    """The ``withhold`` console script of this interpreter (``python -m withhold.cli``), on the
    session's clock when ``--clock`` moved it (``tests/clock.py``)."""
    return clock.command(*args)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so ``page`` can screenshot failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The system Chromium; skip without it, except on CI, which must run the browser tests."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is not installed: browser tests need the system Chromium."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " CI must run them (install the chromium package).")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict[str, str]:
    """Environment for every ``withhold`` command of the test server: its own SQLite file."""
    var_dir = tmp_path_factory.mktemp("withhold-browser")
    env = dict(os.environ)
    # CI runs the suite a second time against PostgreSQL; the browser server keeps to SQLite.
    for name in ("DATABASE_URL", "WITHHOLD_MEDIA_ROOT", "CELERY_BROKER_URL"):
        env.pop(name, None)
    env.update(
        WITHHOLD_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="withhold.settings.local",
        DEBUG="true",  # runserver serves withhold/static (built by `make test`)
        ALLOWED_HOSTS="127.0.0.1,localhost",
        WITHHOLD_HSI_NOTIFICATION_DAYS="10",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="session")
def server_url(chromium_executable, server_env) -> Iterator[str]:
    """A migrated server with reference data and the journey's users; yields its root URL."""
    for command in (
        ["migrate", "--noinput"],
        ["load-reference"],
        ["shell", "-c", USERS_SNIPPET.format(password=PASSWORD)],
    ):
        result = subprocess.run(
            _withhold(*command),
            cwd=PROJECT_DIR,
            env=server_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode:
            pytest.fail(f"`withhold {command[0]}` failed:\n{result.stdout}\n{result.stderr}")

    with running_server(server_env, log_name="browser-server.log") as url:
        yield url


@contextmanager
def running_server(env: dict[str, str], *, log_name: str) -> Iterator[str]:
    """``withhold serve`` on a free port with ``env`` (its database already set up); yields its
    root URL and stops it afterwards. Its output goes to ``test-artifacts/<log_name>``."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    log_path = ARTIFACTS_DIR / log_name
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            _withhold("serve", f"127.0.0.1:{port}"),
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(process, f"{url}/accounts/login/", log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_serving(process: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`withhold serve` exited early:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(
        f"`withhold serve` did not answer {url} in {SERVER_START_TIMEOUT:.0f} s:\n"
        f"{log_path.read_text()}"
    )


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server_url, request):
    """A fresh browser context (no cookies) per test; a screenshot is saved if the test fails."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    context = browser.new_context(base_url=server_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS_DIR / f"{request.node.name}-failure.png", full_page=True)
    context.close()
