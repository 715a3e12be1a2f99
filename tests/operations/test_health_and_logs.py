"""Health and readiness probes, request ids and JSON logs, the Content-Security-Policy header."""

import json
import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from withhold.operations import health
from withhold.operations.logs import JsonFormatter, RequestContextFilter


def test_healthz_answers_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_database_and_migrations(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "ok"
    # Neither the broker nor a shared cache is configured in the tests: not checked.
    assert "broker" not in body["checks"]
    assert "cache" not in body["checks"]


@pytest.mark.django_db
def test_readyz_is_503_and_names_the_failure_when_a_check_fails(client, monkeypatch):
    monkeypatch.setattr(health, "check_migrations", lambda: (False, "2 migration(s) not applied"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "migrations": "2 migration(s) not applied"},
    }


@pytest.mark.django_db
def test_readyz_checks_the_broker_when_one_is_configured(client, monkeypatch):
    monkeypatch.setattr(health, "check_broker", lambda: (False, "the Celery broker did not answer"))
    with override_settings(
        CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_TASK_ALWAYS_EAGER=False
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = json.dumps(response.json())
    assert "the Celery broker did not answer" in body
    assert "127.0.0.1" not in body  # never the broker's address


def test_readyz_refuses_post(client):
    assert client.post("/readyz").status_code == 405


def test_every_response_carries_a_request_id_and_keeps_a_plain_incoming_one(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-abc-12345"})
    assert response["X-Request-ID"] == "proxy-abc-12345"
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert response["X-Request-ID"] != "bad id\nwith newline"


@pytest.mark.django_db
def test_request_log_line_has_request_id_user_path_status_duration(client, case_analyst, caplog):
    client.force_login(case_analyst)
    with caplog.at_level(logging.INFO, logger="withhold.request"):
        response = client.get(reverse("cases:list"), headers={"X-Request-ID": "req-000000001"})
    assert response.status_code == 200
    record = next(r for r in caplog.records if r.name == "withhold.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-000000001"
    assert line["user_id"] == case_analyst.pk
    assert line["path"] == reverse("cases:list")
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"


def test_context_filter_marks_other_lines_logged_during_a_request():
    from withhold.operations.logs import REQUEST_CONTEXT

    token = REQUEST_CONTEXT.set({"request_id": "abc", "path": "/cases/"})
    try:
        record = logging.LogRecord("withhold.cases", logging.WARNING, __file__, 1, "hm", (), None)
        RequestContextFilter().filter(record)
    finally:
        REQUEST_CONTEXT.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc"
    assert line["path"] == "/cases/"


def test_json_formatter_includes_the_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed"
    assert "ValueError: boom" in line["exception"]


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_api_docs_pages_relax_only_styles(client, case_analyst):
    client.force_login(case_analyst)
    for name in ("api-docs", "api-redoc"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "style-src 'self' 'unsafe-inline'" in policy
        assert b"<script>" not in response.content


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json_404_and_a_page_address_the_page(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_api_options_describes_the_endpoint_without_error(client, case_analyst):
    client.force_login(case_analyst)
    response = client.options("/api/cases/")
    assert response.status_code == 200
    assert response.json()["name"]
