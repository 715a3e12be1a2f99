"""Search indexes for the case list (PostgreSQL only; nothing happens on SQLite): trigram indexes
serving ``icontains`` on the case number, title and allegation summary, and the GIN index of the
full-text document (title + summary) searched by ``selectors.CASE_SEARCH``; and, on both
engines, an (entity, case) index for the search's "linked entity's name" arm."""

from django.db import migrations, models

from withhold.core.search import fulltext_index_sql, postgres_index_operations, trigram_index_sql


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_list_sort_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="caseentity",
            index=models.Index(fields=["entity", "case"], name="caseentity_entity_case_idx"),
        ),
        *postgres_index_operations(
            trigram_index_sql("cases_case", "number", "case_number_trgm_idx"),
            trigram_index_sql("cases_case", "title", "case_title_trgm_idx"),
            trigram_index_sql("cases_case", "allegation_summary", "case_summary_trgm_idx"),
            fulltext_index_sql(
                "cases_case", ["title", "allegation_summary"], "case_document_fts_idx", "english"
            ),
        ),
    ]
