"""Search indexes for entity names (PostgreSQL only; nothing happens on SQLite): a trigram index
serving ``name__icontains`` (the entity list, the case search's entity arm, duplicate-free
look-ups) and the GIN index of the full-text document searched by ``selectors.ENTITY_SEARCH``."""

from django.db import migrations

from withhold.core.search import fulltext_index_sql, postgres_index_operations, trigram_index_sql


class Migration(migrations.Migration):
    dependencies = [("entities", "0001_initial")]

    operations = postgres_index_operations(
        trigram_index_sql("entities_entity", "name", "entity_name_trgm_idx"),
        fulltext_index_sql("entities_entity", ["name"], "entity_name_fts_idx", "simple"),
    )
