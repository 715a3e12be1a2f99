"""Search indexes for the case list (PostgreSQL only; nothing happens on SQLite): trigram indexes
serving ``icontains`` on the case number, title and allegation summary, and the GIN index of the
full-text document (title + summary) searched by ``selectors.CASE_SEARCH``."""

from django.db import migrations

from withhold.core.search import fulltext_index_sql, postgres_index_operations, trigram_index_sql


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_list_sort_indexes")]

    operations = postgres_index_operations(
        trigram_index_sql("cases_case", "number", "case_number_trgm_idx"),
        trigram_index_sql("cases_case", "title", "case_title_trgm_idx"),
        trigram_index_sql("cases_case", "allegation_summary", "case_summary_trgm_idx"),
        fulltext_index_sql(
            "cases_case", ["title", "allegation_summary"], "case_document_fts_idx", "english"
        ),
    )
