"""Merged names stay findable and merged ids keep answering.

- ``Entity.search_key``: the name and aliases through ``duplicates.normalise_name``, filled here
  for every entity already on file (then kept by ``Entity.save``), with a trigram index on
  PostgreSQL serving the ``contains`` look-ups of the entity list and the case search.
- ``MergedEntity``: merged-away id -> surviving entity, filled here from the audit log's earlier
  merges (``ENTITY_MERGED`` rows name the duplicate's id and name), each followed to the entity
  it finally ended in; merges whose survivor no longer exists are skipped.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from withhold.core.search import key_trigram_index_sql, postgres_index_operations
from withhold.entities.models import entity_search_key


def fill_search_keys(apps, schema_editor):
    Entity = apps.get_model("entities", "Entity")
    batch = []
    for entity in Entity.objects.only("pk", "name", "aliases").iterator(chunk_size=2000):
        entity.search_key = entity_search_key(entity.name, entity.aliases)
        batch.append(entity)
        if len(batch) == 2000:
            Entity.objects.bulk_update(batch, ["search_key"])
            batch = []
    Entity.objects.bulk_update(batch, ["search_key"])


def record_earlier_merges(apps, schema_editor):
    Entity = apps.get_model("entities", "Entity")
    MergedEntity = apps.get_model("entities", "MergedEntity")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    into: dict[int, tuple[int, str, int | None]] = {}
    merges = AuditEntry.objects.filter(action="ENTITY_MERGED", object_type="entities.entity")
    for entry in merges.order_by("at", "id"):
        data = entry.data or {}
        duplicate = data.get("duplicate_id")
        if isinstance(duplicate, int) and str(entry.object_id).isdigit():
            into[duplicate] = (
                int(entry.object_id),
                str(data.get("duplicate_name", "")),
                entry.actor_id,
            )
    on_file = set(Entity.objects.values_list("pk", flat=True))
    for merged_id, (survivor, name, actor_id) in into.items():
        seen = {merged_id}
        while survivor in into and survivor not in seen:  # merged again later
            seen.add(survivor)
            survivor = into[survivor][0]
        if survivor in on_file and merged_id not in on_file:
            MergedEntity.objects.get_or_create(
                merged_id=merged_id,
                defaults={
                    "merged_name": name[:255],
                    "survivor_id": survivor,
                    "merged_by_id": actor_id,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0002_search_indexes"),
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="entity",
            name="search_key",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="The name and aliases normalised for search (kept by every save).",
            ),
        ),
        migrations.CreateModel(
            name="MergedEntity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "merged_id",
                    models.PositiveBigIntegerField(
                        help_text="The id the merged-away entity had.", unique=True
                    ),
                ),
                (
                    "merged_name",
                    models.CharField(help_text="Its name when it was merged.", max_length=255),
                ),
                ("merged_at", models.DateTimeField(auto_now_add=True)),
                (
                    "merged_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "survivor",
                    models.ForeignKey(
                        help_text="The entity it was merged into (or, after later merges, that one's survivor).",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="merged_away",
                        to="entities.entity",
                    ),
                ),
            ],
            options={
                "verbose_name": "merged-away entity",
                "ordering": ["merged_id"],
            },
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
        migrations.RunPython(record_earlier_merges, migrations.RunPython.noop),
        *postgres_index_operations(
            key_trigram_index_sql("entities_entity", "search_key", "entity_search_key_trgm_idx"),
        ),
    ]
