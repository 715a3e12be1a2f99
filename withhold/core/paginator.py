"""A paginator for long lists: it pages the ids, then loads only the rows shown.

``OFFSET 74975`` over a list that joins each case to its commodity and people makes PostgreSQL
build and throw away 74,975 joined rows. Paging ``SELECT id ... ORDER BY ... LIMIT 25 OFFSET n``
first walks only the ordering index (an index-only scan for the default order), and the 25 rows
are then read by primary key with the list's ``select_related``/``prefetch_related``. Page
numbers, counts and ``get_page`` behave exactly as Django's ``Paginator``.

Only for querysets whose rows need no annotations (``alias`` may be used for ordering or
filtering): the second query reads plain model rows.

``count_with_page=True`` (for a searched list) reads the page's ids and the number of rows in one
statement (``COUNT(*) OVER ()``) instead of a ``COUNT(*)`` and then the ids: a search's
sub-queries (the trigram, full-text and related look-ups) are then computed once, not twice. Not
for long unsearched lists, where a plain ``COUNT(*)`` is an index-only scan and the ids query
stops after the page while the window would read every row. Past the last page it falls back to
``COUNT(*)`` and answers as ``get_page`` always does (the last page).
"""

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Window

TOTAL_ANNOTATION = "paginator_total"


class IdFirstPaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page,
        orphans=0,
        allow_empty_first_page=True,
        *,
        count_with_page: bool = False,
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.count_with_page = count_with_page

    def get_page(self, number):
        if self.count_with_page and "count" not in self.__dict__:
            try:
                wanted = int(number) if number not in (None, "") else 1
            except (TypeError, ValueError):
                wanted = 1
            if wanted >= 1:
                page = self._page_and_count(wanted)
                if page is not None:
                    return page
        return super().get_page(number)

    def _page_and_count(self, number):
        """The page ``number`` with ``count`` read in the same statement, or None (nothing on
        that page: the caller counts and answers as usual)."""
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(**{TOTAL_ANNOTATION: Window(Count("*"))}).values_list(
                "pk", TOTAL_ANNOTATION
            )[bottom : bottom + self.per_page + self.orphans]
        )
        if not rows:
            if number > 1:
                return None
            self.__dict__["count"] = 0
            return self.page(self.validate_number(1))
        self.__dict__["count"] = rows[0][1]
        ids = [pk for pk, _total in rows]
        if bottom + self.per_page + self.orphans < self.count:
            ids = ids[: self.per_page]
        try:
            number = self.validate_number(number)
        except EmptyPage:  # the rows went to the page before as orphans
            return None
        return self._get_page(self._rows(ids), number, self)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self._rows(ids), number, self)

    def _rows(self, ids: list) -> list:
        if not ids:
            return []
        qs = self.object_list
        rows = qs.model._default_manager.using(qs.db).filter(pk__in=ids).order_by()
        rows.query.select_related = qs.query.select_related
        rows = rows.prefetch_related(*qs._prefetch_related_lookups)
        by_pk = {row.pk: row for row in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]
