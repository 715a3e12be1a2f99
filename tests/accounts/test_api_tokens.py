"""API tokens are hashed at rest, expire, can be revoked (audited) and are scoped."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from withhold.accounts.models import ApiToken
from withhold.audit.models import AuditEntry
from withhold.operations.tokens import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def _get(client, key, path="/api/cases/"):
    return client.get(path, HTTP_AUTHORIZATION=f"Token {key}", **HOST)


def _post_case(client, key, commodity):
    return client.post(
        "/api/cases/",
        {
            "title": "Cotton",
            "allegation_summary": "Forced labor alleged.",
            "commodity": commodity.pk,
            "source_country": "CN",
            "referral_source": "ngo",
            "received_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
        **HOST,
    )


def test_api_token_stored_hashed(client, case_analyst, supervisor):
    token, key = api_token_issue(user=case_analyst, actor=supervisor)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key_hash, key_prefix FROM accounts_apitoken WHERE id = %s", [token.pk]
        )
        key_hash, prefix = cursor.fetchone()
    assert key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in key_hash and len(prefix) == 8
    assert _get(client, key).status_code == 200
    entry = AuditEntry.objects.get(action="API_TOKEN_CREATED")
    assert entry.actor == supervisor and key not in str(entry.data)


def test_api_token_expires(client, case_analyst):
    token, key = api_token_issue(user=case_analyst, actor=None, days=1)
    assert token.expires_at - timezone.now() > timedelta(hours=23)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _get(client, key)
    assert response.status_code in (401, 403)
    assert "expired" in response.json()["detail"]


def test_api_token_default_lifetime_is_the_setting(case_analyst, settings):
    settings.WITHHOLD_API_TOKEN_DAYS = 90
    token, _ = api_token_issue(user=case_analyst, actor=None)
    assert timedelta(days=89, hours=23) < token.expires_at - token.created_at <= timedelta(days=90)


def test_api_token_revoked_is_refused_and_audited(client, case_analyst, supervisor):
    token, key = api_token_issue(user=case_analyst, actor=None)
    api_token_revoke(token=token, actor=supervisor)
    response = _get(client, key)
    assert response.status_code in (401, 403)
    assert "revoked" in response.json()["detail"]
    entry = AuditEntry.objects.get(action="API_TOKEN_REVOKED")
    assert entry.actor == supervisor and entry.object_id == str(token.pk)


def test_read_only_api_token_cannot_write(client, case_analyst, commodity):
    _, key = api_token_issue(user=case_analyst, actor=None, scope="read")
    assert _get(client, key).status_code == 200
    response = _post_case(client, key, commodity)
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_read_write_api_token_can_write(client, case_analyst, commodity):
    _, key = api_token_issue(user=case_analyst, actor=None, scope="write")
    assert _post_case(client, key, commodity).status_code == 201


def test_unknown_api_token_is_refused(client, case_analyst):
    response = _get(client, "0" * 40)
    assert response.status_code in (401, 403)
    assert "not valid" in response.json()["detail"]


def test_token_commands_issue_list_and_revoke(client, case_analyst, supervisor):
    out, err = StringIO(), StringIO()
    call_command(
        "token_issue",
        case_analyst.username,
        "--scope",
        "write",
        "--by",
        supervisor.username,
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    assert "shown only now" in err.getvalue()
    assert _get(client, key).status_code == 200
    listing = StringIO()
    call_command("token_list", stdout=listing)
    assert key[:8] in listing.getvalue() and key not in listing.getvalue()
    call_command(
        "token_revoke", "--prefix", key[:8], "--by", supervisor.username, stdout=StringIO()
    )
    assert "revoked" in _get(client, key).json()["detail"]


def test_plain_text_tokens_are_hashed_in_place_by_the_migration(case_analyst):
    """The migration moves DRF's plain-text keys into ApiToken, hashed, and drops the old
    table; the moved key still authenticates."""
    import importlib

    from django.apps import apps as global_apps

    migration = importlib.import_module("withhold.accounts.migrations.0003_hash_existing_tokens")
    key = "a" * 40
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint, "
            "created timestamp with time zone)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [key, case_analyst.pk, timezone.now()],
        )

    class Editor:  # the schema editor's two members the migration uses
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.forwards(global_apps, Editor())
    assert "authtoken_token" not in connection.introspection.table_names()
    moved = ApiToken.objects.get(user=case_analyst)
    assert moved.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert moved.scope == "write"
