"""Search indexes for the triage queue (PostgreSQL only; nothing happens on SQLite): trigram
indexes serving ``icontains`` on the receipt number, manufacturer and merchandise, and the GIN
index of the full-text document searched by ``selectors.ALLEGATION_SEARCH``."""

from django.db import migrations

from withhold.core.search import fulltext_index_sql, postgres_index_operations, trigram_index_sql


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_role_groups")]

    operations = postgres_index_operations(
        trigram_index_sql("intake_allegation", "receipt_number", "allegation_receipt_trgm_idx"),
        trigram_index_sql("intake_allegation", "manufacturer_name", "allegation_maker_trgm_idx"),
        trigram_index_sql(
            "intake_allegation", "merchandise_description", "allegation_goods_trgm_idx"
        ),
        fulltext_index_sql(
            "intake_allegation",
            ["manufacturer_name", "merchandise_description"],
            "allegation_document_fts_idx",
            "english",
        ),
    )
