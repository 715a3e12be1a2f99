"""``IdFirstPaginator`` shows the same rows, in the same order, as Django's ``Paginator``."""

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from withhold.cases.models import Case
from withhold.core.paginator import IdFirstPaginator

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_every_page_matches_django_paginator():
    for n in range(23):
        CaseFactory(title=f"Case {n % 5}")
    qs = Case.objects.select_related("commodity").order_by("title", "-id")
    plain = Paginator(qs, 5, orphans=1)
    by_ids = IdFirstPaginator(qs, 5, orphans=1)
    assert by_ids.num_pages == plain.num_pages == 5
    for number in plain.page_range:
        expected = [c.pk for c in plain.page(number)]
        page = by_ids.get_page(number)
        assert [c.pk for c in page] == expected
        assert page.has_next() == plain.page(number).has_next()
    # Out-of-range and junk page numbers behave as get_page always did.
    assert by_ids.get_page(99).number == 5
    assert by_ids.get_page("x").number == 1


def test_empty_list_has_one_empty_page():
    page = IdFirstPaginator(Case.objects.order_by("id"), 25).get_page(1)
    assert list(page) == []
    assert page.number == 1


def test_case_list_page_two_shows_the_next_cases(client, supervisor):
    for n in range(30):
        CaseFactory(title=f"Paged case {n:02d}")
    client.force_login(supervisor)
    first = client.get(reverse("cases:list"), {"sort": "title"})
    second = client.get(reverse("cases:list"), {"sort": "title", "page": 2})
    titles = [c.title for c in first.context["page_obj"]] + [
        c.title for c in second.context["page_obj"]
    ]
    assert titles == [f"Paged case {n:02d}" for n in range(30)]
    assert "Paged case 29" in second.content.decode()


@pytest.mark.parametrize("orphans", [0, 1, 3])
def test_count_with_page_matches_django_paginator(orphans, django_assert_num_queries):
    for n in range(23):
        CaseFactory(title=f"Case {n % 5}")
    qs = Case.objects.select_related("commodity").order_by("title", "-id")
    plain = Paginator(qs, 5, orphans=orphans)
    for number in [*plain.page_range, 99, "x", "", None, 0]:
        expected = plain.get_page(number)
        page = IdFirstPaginator(qs, 5, orphans=orphans, count_with_page=True).get_page(number)
        assert [c.pk for c in page] == [c.pk for c in expected], number
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (
            expected.number,
            plain.count,
            plain.num_pages,
        )
    # One statement for the ids and the count, one for the rows: no separate COUNT(*).
    with django_assert_num_queries(2):
        list(IdFirstPaginator(qs, 5, count_with_page=True).get_page(2))


def test_count_with_page_of_an_empty_list():
    page = IdFirstPaginator(Case.objects.order_by("id"), 25, count_with_page=True).get_page(1)
    assert (list(page), page.number, page.paginator.count) == ([], 1, 0)
