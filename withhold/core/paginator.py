"""A paginator for long lists: it pages the ids, then loads only the rows shown.

``OFFSET 74975`` over a list that joins each case to its commodity and people makes PostgreSQL
build and throw away 74,975 joined rows. Paging ``SELECT id ... ORDER BY ... LIMIT 25 OFFSET n``
first walks only the ordering index (an index-only scan for the default order), and the 25 rows
are then read by primary key with the list's ``select_related``/``prefetch_related``. Page
numbers, counts and ``get_page`` behave exactly as Django's ``Paginator``.

Only for querysets whose rows need no annotations (``alias`` may be used for ordering or
filtering): the second query reads plain model rows.
"""

from django.core.paginator import Paginator


class IdFirstPaginator(Paginator):
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
