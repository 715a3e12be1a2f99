"""The submitter's identity is encrypted at rest, erased after the retention period unless a
supervisor holds it, and the keys can be rotated."""

from datetime import timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from withhold.audit.models import AuditEntry
from withhold.core import crypto
from withhold.core.exceptions import PermissionDeniedError
from withhold.intake import services
from withhold.intake.models import Allegation

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
IDENTITY = {
    "anonymous": False,
    "contact_name": "Ana Trabajadora",
    "contact_email": "ana@example.org",
    "contact_phone": "+1 202 555 0100",
}


def _raw(allegation):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_email, contact_phone FROM intake_allegation "
            "WHERE id = %s",
            [allegation.pk],
        )
        return cursor.fetchone()


@pytest.fixture
def named(submit):
    return submit(**IDENTITY).allegation


def test_informant_identity_encrypted_at_rest(named):
    raw = _raw(named)
    plains = ["Ana Trabajadora", "ana@example.org", "+1 202 555 0100"]
    for column, plain in zip(raw, plains, strict=True):
        assert plain not in column
        assert crypto.decrypt(column) == plain
    fresh = Allegation.objects.get(pk=named.pk)
    assert (fresh.contact_name, fresh.contact_email, fresh.contact_phone) == (
        "Ana Trabajadora",
        "ana@example.org",
        "+1 202 555 0100",
    )


def test_anonymous_report_stores_empty_contact_fields(allegation):
    assert _raw(allegation) == ("", "", "")


def test_encrypted_identity_cannot_be_searched_by_value(named):
    with pytest.raises(FieldError, match="encrypted"):
        Allegation.objects.filter(contact_email="ana@example.org").exists()
    assert Allegation.objects.filter(contact_email="").count() == 0


def test_staff_page_shows_the_decrypted_identity(client, supervisor, named):
    client.force_login(supervisor)
    page = client.get(f"/intake/{named.receipt_number}/", **HOST).content.decode()
    assert "ana@example.org" in page


def test_existing_identities_are_encrypted_by_the_data_migration(named):
    import importlib

    migration = importlib.import_module(
        "withhold.intake.migrations.0005_encrypt_existing_identities"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE intake_allegation SET contact_email = 'old@example.org', contact_name = '' "
            "WHERE id = %s",
            [named.pk],
        )

    class Editor:
        def __init__(self):
            self.connection = connection

    migration._rewrite(Editor(), crypto.encrypt)
    name, email, _phone = _raw(named)
    assert name == ""
    assert email != "old@example.org"
    assert Allegation.objects.get(pk=named.pk).contact_email == "old@example.org"


def test_field_keys_rotation_reencrypts_every_row(settings, named, submit):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.WITHHOLD_FIELD_KEYS = [old_key]
    with_old = submit(**IDENTITY).allegation
    old_tokens = _raw(with_old)
    assert Fernet(old_key).decrypt(old_tokens[1].encode()) == b"ana@example.org"

    # The new key goes in front; the old one still reads what it wrote.
    settings.WITHHOLD_FIELD_KEYS = [new_key, old_key]
    assert Allegation.objects.get(pk=with_old.pk).contact_email == "ana@example.org"
    # `named` was written with the derived development key: list it too for the rotation.
    settings.WITHHOLD_FIELD_KEYS = [new_key, old_key, crypto.derived_field_key(settings.SECRET_KEY)]
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "intake.Allegation: 2" in out.getvalue()
    assert AuditEntry.objects.filter(action="FIELD_KEYS_ROTATED").exists()

    # Now only the new key is needed.
    settings.WITHHOLD_FIELD_KEYS = [new_key]
    for allegation in (with_old, named):
        tokens = _raw(allegation)
        assert Fernet(new_key).decrypt(tokens[1].encode()) == b"ana@example.org"
        assert Allegation.objects.get(pk=allegation.pk).contact_name == "Ana Trabajadora"
    assert _raw(with_old) != old_tokens


def test_missing_key_is_a_clear_error(settings, named):
    settings.WITHHOLD_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="WITHHOLD_FIELD_KEYS"):
        Allegation.objects.get(pk=named.pk)


def test_production_settings_refuse_to_start_without_field_keys():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "withhold.settings.production",
        "SECRET_KEY": "x" * 40,
        "ALLOWED_HOSTS": "example.gov",
        "WITHHOLD_FIELD_KEYS": "",
    }
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "Set WITHHOLD_FIELD_KEYS" in result.stderr
    env["WITHHOLD_FIELD_KEYS"] = "not-a-key"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert "key 1 is not a Fernet key" in result.stderr


# --- Retention ------------------------------------------------------------------------------------


def _declined(named, intake_analyst, *, days_ago, seconds=0):
    services.allegation_decline(
        allegation=named, actor=intake_analyst, reason="No link to forced labor shown here."
    )
    decided = timezone.now() - timedelta(days=days_ago, seconds=seconds)
    Allegation.objects.filter(pk=named.pk).update(decided_at=decided)
    return Allegation.objects.get(pk=named.pk)


def test_identity_kept_until_the_retention_period_ends(settings, named, intake_analyst):
    days = settings.WITHHOLD["INTAKE_IDENTITY_RETENTION_DAYS"]
    assert days == 3 * 365
    allegation = _declined(named, intake_analyst, days_ago=days, seconds=-60)
    assert services.allegation_identities_erase() == 0
    allegation.refresh_from_db()
    assert allegation.contact_email == "ana@example.org"
    assert allegation.identity_erased_at is None


def test_identity_erased_after_the_retention_period(settings, named, intake_analyst):
    days = settings.WITHHOLD["INTAKE_IDENTITY_RETENTION_DAYS"]
    allegation = _declined(named, intake_analyst, days_ago=days, seconds=60)
    assert services.allegation_identities_erase() == 1
    allegation.refresh_from_db()
    assert (allegation.contact_name, allegation.contact_email, allegation.contact_phone) == (
        "",
        "",
        "",
    )
    assert allegation.identity_erased_at is not None
    assert allegation.reasons  # the report itself stays
    entry = AuditEntry.objects.get(action="ALLEGATION_IDENTITY_ERASED")
    assert entry.object_id == str(allegation.pk) and "ana@" not in str(entry.data)
    assert services.allegation_identities_erase() == 0  # once


def test_only_declined_allegations_are_erased(settings, named):
    Allegation.objects.filter(pk=named.pk).update(created_at=timezone.now() - timedelta(days=5000))
    assert services.allegation_identities_erase() == 0


def test_litigation_hold_stops_erasure_and_is_audited(settings, named, intake_analyst, supervisor):
    days = settings.WITHHOLD["INTAKE_IDENTITY_RETENTION_DAYS"]
    allegation = _declined(named, intake_analyst, days_ago=days + 10)
    services.allegation_litigation_hold_set(
        allegation=allegation, actor=supervisor, reason="Civil suit pending."
    )
    assert services.allegation_identities_erase() == 0
    assert Allegation.objects.get(pk=allegation.pk).contact_email == "ana@example.org"
    services.allegation_litigation_hold_release(
        allegation=allegation, actor=supervisor, reason="Suit settled."
    )
    assert services.allegation_identities_erase() == 1
    actions = list(
        AuditEntry.objects.filter(object_id=str(allegation.pk))
        .order_by("id")
        .values_list("action", "actor")
    )
    assert ("ALLEGATION_LITIGATION_HOLD_SET", supervisor.pk) in actions
    assert ("ALLEGATION_LITIGATION_HOLD_RELEASED", supervisor.pk) in actions


def test_only_a_supervisor_sets_a_litigation_hold(named, intake_analyst):
    with pytest.raises(PermissionDeniedError):
        services.allegation_litigation_hold_set(
            allegation=named, actor=intake_analyst, reason="Civil suit pending."
        )


def test_supervisor_sets_and_releases_the_hold_from_the_page(client, supervisor, named):
    client.force_login(supervisor)
    url = f"/intake/{named.receipt_number}/litigation-hold/"
    page = client.get(f"/intake/{named.receipt_number}/", **HOST).content.decode()
    assert "Set litigation hold" in page
    client.post(url, {"action": "set", "reason": "Civil suit pending."}, **HOST)
    assert Allegation.objects.get(pk=named.pk).litigation_hold
    client.post(url, {"action": "release", "reason": "Settled."}, **HOST)
    assert not Allegation.objects.get(pk=named.pk).litigation_hold


def test_erasure_command_and_beat_schedule(settings, named, intake_analyst):
    days = settings.WITHHOLD["INTAKE_IDENTITY_RETENTION_DAYS"]
    _declined(named, intake_analyst, days_ago=days + 1)
    out = StringIO()
    call_command("erase_expired_identities", "--dry-run", stdout=out)
    assert "1 submitter identities are due" in out.getvalue()
    call_command("erase_expired_identities", stdout=out)
    assert "Erased 1" in out.getvalue()
    schedule = settings.CELERY_BEAT_SCHEDULE["allegation-identity-erasure"]
    assert schedule["task"] == "withhold.intake.tasks.allegation_identities_erase"


def test_erasure_task_runs_the_erasure(settings, named, intake_analyst):
    from withhold.intake.tasks import allegation_identities_erase_task

    days = settings.WITHHOLD["INTAKE_IDENTITY_RETENTION_DAYS"]
    _declined(named, intake_analyst, days_ago=days + 1)
    assert allegation_identities_erase_task.delay().get() == 1
    assert Allegation.objects.get(pk=named.pk).contact_email == ""
