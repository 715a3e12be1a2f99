from cryptography.fernet import Fernet
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from withhold.audit.models import AuditAction
from withhold.audit.services import audit_record
from withhold.core.crypto import encrypted_fields, field_keys, field_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field (the allegation submitter's identity) with the newest "
        "key in WITHHOLD_FIELD_KEYS. Put the new key first, run this, then drop the old key. "
        "--new-key prints a fresh key and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="Print a new Fernet key.")

    def handle(self, *args, new_key, **options):
        if new_key:
            self.stdout.write(Fernet.generate_key().decode())
            return
        try:
            with transaction.atomic():
                counts = field_keys_rotate()
                for model, _columns in encrypted_fields():
                    audit_record(
                        actor=None,
                        action=AuditAction.FIELD_KEYS_ROTATED,
                        target=ContentType.objects.get_for_model(model),
                        data={"rows": counts[model._meta.label], "keys": len(field_keys())},
                    )
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        for label, rows in counts.items():
            self.stdout.write(f"{label}: {rows} rows re-encrypted with the newest key.")
