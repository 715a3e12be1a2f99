"""The upload page keeps the spreadsheet and mapping after a dry run, so "Import these N rows"
imports them without choosing the files again; only for the uploader, only once, only while the
stored files are there; stale uploads are deleted after a day."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from withhold.audit.models import AuditAction, AuditEntry
from withhold.cases.models import Case
from withhold.quality.models import LegacyImportRun, PendingLegacyUpload

from ..factories import UserFactory
from .conftest import MAPPING, workbook_bytes

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}
A = "Workers report their identity documents are withheld by the employer."
ROW = ["L-100", "Shirts", A, "Cotton", "CN", "ngo", "2019-03-15", "2019-04-01", "2",
       "", "Mill", "", "", ""]  # fmt: skip
REJECTED = ["L-101", "", A, "Cotton", "CN", "ngo", "2019-03-15", "2019-04-01", "2",
            "", "Mill", "", "", ""]  # fmt: skip


def dry_run(client, rows=(ROW,), mapping=MAPPING):
    data = workbook_bytes(list(rows))
    response = client.post(
        "/data-quality/legacy/import/",
        {
            "file": SimpleUploadedFile("old.xlsx", data),
            "mapping": SimpleUploadedFile("map.toml", mapping.encode()),
            "dry_run": "on",
        },
        **HOST,
    )
    return response, data


def test_dry_run_keeps_the_files_then_imports_them(
    client, supervisor, commodity, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    response, data = dry_run(client, rows=[ROW, REJECTED])
    page = response.content.decode()
    upload = PendingLegacyUpload.objects.get()
    assert "Dry run: nothing was written" in page
    assert "Import this 1 row" in page
    assert f"/data-quality/legacy/import/{upload.pk}/" in page
    assert Case.objects.count() == 0
    assert upload.uploaded_by == supervisor
    assert upload.file_sha256 == hashlib.sha256(data).hexdigest()
    assert upload.file.read() == data
    assert upload.mapping_text == MAPPING
    stored = upload.file.name
    assert AuditEntry.objects.filter(action=AuditAction.LEGACY_UPLOAD_STORED).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/data-quality/legacy/import/{upload.pk}/", **HOST)
    assert done.status_code == 200
    assert "row 2: imported, needs review" in done.content.decode()
    assert "Import saved." in done.content.decode()
    assert Case.objects.count() == 1
    upload.refresh_from_db()
    assert upload.imported_at is not None
    assert upload.run == LegacyImportRun.objects.get()
    assert upload.run.file_name == "old.xlsx"
    assert not upload.file.storage.exists(stored)


def test_importing_twice_is_refused(client, supervisor, commodity):
    client.force_login(supervisor)
    dry_run(client)
    upload = PendingLegacyUpload.objects.get()
    client.post(f"/data-quality/legacy/import/{upload.pk}/", **HOST)
    again = client.post(f"/data-quality/legacy/import/{upload.pk}/", follow=True, **HOST)
    assert "was already imported on" in again.content.decode()
    assert Case.objects.count() == 1
    assert LegacyImportRun.objects.count() == 1


def test_only_the_uploader_may_import(client, supervisor, commodity):
    client.force_login(supervisor)
    dry_run(client)
    upload = PendingLegacyUpload.objects.get()
    other = UserFactory(role="supervisor", username="second-supervisor")
    client.force_login(other)
    response = client.post(f"/data-quality/legacy/import/{upload.pk}/", follow=True, **HOST)
    assert "Only the person who uploaded these files may import them" in response.content.decode()
    assert Case.objects.count() == 0


def test_analyst_cannot_import_a_stored_upload(client, supervisor, case_analyst, commodity):
    client.force_login(supervisor)
    dry_run(client)
    upload = PendingLegacyUpload.objects.get()
    client.force_login(case_analyst)
    assert client.post(f"/data-quality/legacy/import/{upload.pk}/", **HOST).status_code == 403
    assert Case.objects.count() == 0


def test_refused_when_the_stored_file_is_gone(client, supervisor, commodity):
    client.force_login(supervisor)
    dry_run(client)
    upload = PendingLegacyUpload.objects.get()
    upload.file.storage.delete(upload.file.name)
    response = client.post(f"/data-quality/legacy/import/{upload.pk}/", follow=True, **HOST)
    assert "is gone" in response.content.decode()
    assert "choose the files again" in response.content.decode()
    assert Case.objects.count() == 0


def test_refused_when_the_stored_file_changed(client, supervisor, commodity):
    client.force_login(supervisor)
    dry_run(client)
    upload = PendingLegacyUpload.objects.get()
    with upload.file.storage.open(upload.file.name, "wb") as handle:
        handle.write(workbook_bytes([ROW, ROW]))
    response = client.post(f"/data-quality/legacy/import/{upload.pk}/", follow=True, **HOST)
    assert "changed since the dry run" in response.content.decode()
    assert Case.objects.count() == 0


def test_nothing_kept_when_the_dry_run_refuses(client, supervisor, commodity):
    client.force_login(supervisor)
    response, _ = dry_run(client, mapping='[columns]\n"A" = "titel"\n')
    assert response.status_code == 400
    assert PendingLegacyUpload.objects.count() == 0


def test_no_import_button_when_no_row_would_be_written(client, supervisor, commodity):
    client.force_login(supervisor)
    response, _ = dry_run(client, rows=[REJECTED])
    page = response.content.decode()
    assert "nothing to import from this file" in page
    assert 'id="import-stored"' not in page


def test_missing_upload_is_404(client, supervisor):
    client.force_login(supervisor)
    assert client.post("/data-quality/legacy/import/999999/", **HOST).status_code == 404


def test_stale_uploads_deleted_by_command_and_daily_task(
    client, supervisor, commodity, django_capture_on_commit_callbacks
):
    from withhold.quality.tasks import quality_snapshot_take

    client.force_login(supervisor)
    dry_run(client)
    dry_run(client)
    old, fresh = PendingLegacyUpload.objects.order_by("id")
    PendingLegacyUpload.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    stored = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        call_command("quality_purge_uploads")
    assert list(PendingLegacyUpload.objects.all()) == [fresh]
    assert not old.file.storage.exists(stored)
    assert AuditEntry.objects.filter(action=AuditAction.LEGACY_UPLOAD_DELETED).count() == 1

    PendingLegacyUpload.objects.update(uploaded_at=timezone.now() - timedelta(days=2))
    quality_snapshot_take.delay()
    assert PendingLegacyUpload.objects.count() == 0


def test_imported_uploads_are_not_purged(client, supervisor, commodity):
    client.force_login(supervisor)
    dry_run(client)
    upload = PendingLegacyUpload.objects.get()
    client.post(f"/data-quality/legacy/import/{upload.pk}/", **HOST)
    PendingLegacyUpload.objects.update(uploaded_at=timezone.now() - timedelta(days=3))
    call_command("quality_purge_uploads")
    assert PendingLegacyUpload.objects.get().run is not None
