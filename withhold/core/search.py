"""Text search shared by the case, entity and allegation lists.

One rule everywhere: every word typed must appear (case-insensitively, anywhere) in one of the
searched fields. On PostgreSQL the same search also matches by full text (stemmed English words,
so "workers" finds "worker"), the substring tests are served by trigram indexes (``pg_trgm``,
GIN ``gin_trgm_ops`` on ``UPPER(column)``, the expression Django's ``icontains`` compares) and the
full-text document by a GIN expression index; results can be ranked with ``SearchRank``. On SQLite
(development, the default test run) the substring test alone applies and nothing is indexed.

Company names are spelt many ways ("Sdn. Bhd." or "Sdn Bhd", "Co., Ltd." or "Company Limited").
A search given a ``normalise`` function (the company-name normaliser,
``entities.duplicates.normalise_name``) also compares each word, normalised, with ``keys``: fields
holding names already passed through the same function (``Entity.search_key``), and hands the
normalised word to its ``related`` look-ups. Words the normaliser leaves out of the whole query
(legal forms and fillers: "Co.,", "Ltd.", "Sdn.", "the") are not required anywhere, unless
nothing else is left; every other word keeps the rule above, so plain words find titles as
before.

The indexes are made by each app's migrations with ``trigram_index_sql`` and
``fulltext_index_sql`` (PostgreSQL only); ``docs/operations.md`` says how to rebuild them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Case, F, FloatField, IntegerField, Lookup, Q, QuerySet, Value, When
from django.db.models.functions import Upper

MAX_WORDS = 8
RANK_ANNOTATION = "search_rank"
EXACT_ANNOTATION = "search_exact"


def search_words(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The words of ``text`` (at most ``limit``; a longer query is cut, not refused)."""
    return (text or "").split()[:limit]


@dataclass(frozen=True)
class SearchWord:
    """One word of a query: ``text`` as typed (compared with plain fields) and ``key``, the
    same word through the search's normaliser (compared with key fields; ``text`` when the
    search has no normaliser)."""

    text: str
    key: str


def search_terms(text: str, normalise: Callable[[str], str] | None = None) -> list[SearchWord]:
    """The words a search requires. With ``normalise``, a word whose normalised form the
    normaliser drops from the whole query (a legal form such as "Sdn." or "Ltd.") is not
    required, unless every word would be; the others carry their normalised form as ``key``."""
    words = search_words(text)
    if normalise is None:
        return [SearchWord(w, w) for w in words]
    kept = set(normalise(" ".join(words)).split())
    terms = []
    for word in words:
        key = " ".join(t for t in normalise(word).split() if t in kept)
        if key:
            terms.append(SearchWord(word, key))
    return terms or [SearchWord(w, w) for w in words]


def is_postgres(qs: QuerySet) -> bool:
    return connections[qs.db].vendor == "postgresql"


class _EqualsAny(Lookup):
    """``lhs = ANY(rhs)``, ``rhs`` an array expression (PostgreSQL)."""

    lookup_name = "equals_any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def filter_in(qs: QuerySet, column: str, ids: QuerySet) -> QuerySet:
    """``qs`` where ``column`` is one of ``ids`` (a ``values`` query of one column).

    On PostgreSQL written ``column = ANY(ARRAY(ids))`` rather than ``column IN (ids)``: the ids
    are gathered once (an InitPlan) and looked up in an index on ``column``. Given ``IN``, the
    planner joins instead, and for a few thousand ids it hashed them against a sequential scan of
    the whole table (the cases linked to entities named "golden": every one of 170,000 case-entity
    links read, 90 ms, against 16 ms read from ``caseentity_entity_case_idx``)."""
    if is_postgres(qs):
        from django.contrib.postgres.expressions import ArraySubquery

        return qs.filter(_EqualsAny(F(column), ArraySubquery(ids.order_by())))
    return qs.filter(**{f"{column}__in": ids})


@dataclass(frozen=True)
class TextSearch:
    """How one list is searched.

    ``fields``: matched word by word with ``icontains`` (trigram-indexed on PostgreSQL).
    ``keys``: fields holding normalised text, matched with ``contains`` by each word's
    normalised form (``normalise``; trigram-indexed on PostgreSQL).
    ``normalise``: the normaliser of ``keys`` and of the query (see ``search_terms``).
    ``document``: the fields of the full-text document (PostgreSQL only; an expression index
    made by ``fulltext_index_sql`` with the same fields and ``config``).
    ``exact``: a field whose exact value (case-insensitive) ranks a row first, e.g. a case number.
    ``related``: per word (a ``SearchWord``), a query of more matching ids (``values`` of one
    column), e.g. the cases linked to an entity whose search key contains the word.
    """

    fields: Sequence[str]
    keys: Sequence[str] = ()
    normalise: Callable[[str], str] | None = None
    document: Sequence[str] = ()
    config: str = "english"
    exact: str = ""
    related: Sequence[Callable[[SearchWord], QuerySet]] = field(default_factory=tuple)

    def terms(self, text: str) -> list[SearchWord]:
        return search_terms(text, self.normalise)

    def _own(self, term: SearchWord) -> Q:
        condition = Q()
        for name in self.fields:
            condition |= Q(**{f"{name}__icontains": term.text})
        for name in self.keys:
            condition |= Q(**{f"{name}__contains": term.key})
        return condition

    def word_condition(self, term: SearchWord) -> Q:
        condition = self._own(term)
        for make in self.related:
            condition |= Q(pk__in=make(term))
        return condition

    def condition(self, text: str) -> Q:
        condition = Q()
        for term in self.terms(text):
            condition &= self.word_condition(term)
        return condition

    def _vector(self):
        from django.contrib.postgres.search import SearchVector

        return SearchVector(*self.document, config=self.config)

    def _query(self, text: str):
        from django.contrib.postgres.search import SearchQuery

        return SearchQuery(" ".join(search_words(text)), config=self.config, search_type="plain")

    def _postgres_condition(self, qs: QuerySet, text: str) -> Q:
        """The same rule, shaped for PostgreSQL's indexes. Per word: the ids of the rows of
        ``qs`` itself (its filters included) whose own fields match the word or whose full-text
        document matches it (stemmed: "workers" finds "worker"): one BitmapAnd of the filters'
        indexes with a BitmapOr of the trigram and full-text indexes, so only rows passing the
        filters are read; or the ids each related look-up gives. Each ``pk IN (...)`` is kept
        apart (or'd, never a UNION the planner would join back row by row) so that it is
        computed once and probed as a hash by each row the filters' indexes give."""
        base = qs.order_by()
        if self.document:
            base = base.alias(search_document=self._vector())
        condition = Q()
        for term in self.terms(text):
            own = self._own(term)
            if self.document:
                own |= Q(search_document=self._query(term.text))
            matching = Q(pk__in=base.filter(own).values("pk"))
            for make in self.related:
                matching |= Q(pk__in=make(term).order_by())
            condition &= matching
        return condition

    def filter(self, qs: QuerySet, text: str) -> QuerySet:
        """Rows of ``qs`` matching ``text`` (all of ``qs`` for blank text)."""
        if not search_words(text):
            return qs
        if is_postgres(qs):
            return qs.filter(self._postgres_condition(qs, text))
        return qs.filter(self.condition(text))

    def ranked(self, qs: QuerySet, text: str) -> QuerySet:
        """``qs`` annotated for ordering by ``RANKING`` (exact match first, then full-text rank
        on PostgreSQL; 0 on SQLite, where the caller's own order decides)."""
        if self.exact:
            cleaned = " ".join(search_words(text)).upper()
            exact = Case(
                When(**{f"{EXACT_ANNOTATION}_value": cleaned}, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            qs = qs.alias(**{f"{EXACT_ANNOTATION}_value": Upper(F(self.exact))}).alias(
                **{EXACT_ANNOTATION: exact}
            )
        else:
            qs = qs.alias(**{EXACT_ANNOTATION: Value(0, output_field=IntegerField())})
        if self.document and is_postgres(qs):
            from django.contrib.postgres.search import SearchRank

            rank = SearchRank(self._vector(), self._query(text))
        else:
            rank = Value(0.0, output_field=FloatField())
        return qs.alias(**{RANK_ANNOTATION: rank})


RANKING = [f"-{EXACT_ANNOTATION}", f"-{RANK_ANNOTATION}"]


# --- Index DDL (PostgreSQL) ----------------------------------------------------------------------


def trigram_index_sql(table: str, column: str, name: str) -> tuple[str, str]:
    """Create/drop a trigram index serving ``column__icontains`` (Django compares
    ``UPPER(column::text) LIKE UPPER(%s)``)."""
    return (
        f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) '
        "gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {name}",
    )


def key_trigram_index_sql(table: str, column: str, name: str) -> tuple[str, str]:
    """Create/drop a trigram index serving ``column__contains`` on a normalised key column
    (already lower case, so compared as it is: ``column::text LIKE %s``)."""
    return (
        f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (("{column}"::text) gin_trgm_ops)',
        f"DROP INDEX IF EXISTS {name}",
    )


def fulltext_index_sql(
    table: str, columns: Sequence[str], name: str, config: str = "english"
) -> tuple[str, str]:
    """Create/drop the GIN index of a full-text document: the same expression as
    ``SearchVector(*columns, config=config)`` compiles to, so the planner can use it."""
    parts = " || ' ' || ".join(f"COALESCE(\"{c}\", '')" for c in columns)
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin "
        f"(to_tsvector('{config}'::regconfig, {parts}))",
        f"DROP INDEX IF EXISTS {name}",
    )


def postgres_only(sql: str):
    """A migration operation function running ``sql`` on PostgreSQL and nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def postgres_index_operations(*statements: tuple[str, str]) -> list:
    """Migration operations: the ``pg_trgm`` extension, then each (create, drop) pair, on
    PostgreSQL only; on SQLite they do nothing, so the migration runs on both."""
    from django.db import migrations

    operations = [
        migrations.RunPython(
            postgres_only("CREATE EXTENSION IF NOT EXISTS pg_trgm"),
            migrations.RunPython.noop,
            elidable=False,
        )
    ]
    for create, drop in statements:
        operations.append(migrations.RunPython(postgres_only(create), postgres_only(drop)))
    return operations
