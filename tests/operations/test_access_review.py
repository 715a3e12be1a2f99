"""The access review (``docs/access-review.md``): fresh, every route has a rule, and it agrees
with the apps' permission matrices. A new page or API operation that anonymous users, or every
role, can reach without being declared fails here."""

import importlib
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from withhold.operations import access
from withhold.operations.management.commands.access_review import (
    build_review,
    make_client,
    principals_create,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "access-review.md"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def review(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        text, problems = build_review()
        transaction.set_rollback(True)
    return text, problems


def test_the_committed_access_review_is_fresh(review):
    text, _ = review
    assert DOC.read_text() == text, "docs/access-review.md is stale: run `make access-review`"


def test_every_route_has_a_rule(review):
    _, problems = review
    assert problems == []


def test_the_review_agrees_with_the_permission_matrices(review):
    """Each matrix column without a record in its URL (``/orders/``...) must read the same."""
    text, _ = review
    header = next(line for line in text.splitlines() if line.startswith("| route |"))
    labels = [cell.strip() for cell in header.strip("|").split("|")][2:]
    rows = {
        line.split("|")[1].strip().strip("`"): [c.strip() for c in line.strip("|").split("|")[2:]]
        for line in text.splitlines()
        if line.startswith("| `/")
    }
    meaning = {200: "✓", 403: "✗", 302: "sign in"}
    compared = 0
    for module_path in sorted(
        Path(__file__).resolve().parents[1].glob("*/test_permission_matrix.py")
    ):
        module = importlib.import_module(f"tests.{module_path.parent.name}.test_permission_matrix")
        for index, column in enumerate(module.COLUMNS):
            template = column[-1]
            method = column[1] if len(column) == 3 else "GET"
            if "{" in template or template not in rows or method != "GET":
                continue
            for role, statuses in module.MATRIX.items():
                label = role.label if role is not None else "anonymous"
                if label not in labels:
                    continue
                got = rows[template][labels.index(label)]
                assert got == meaning[statuses[index]], (template, label)
                compared += 1
    assert compared > 0


def _open_view(request):
    return HttpResponse("anybody")


urlpatterns = [path("sneaky/", _open_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_route_without_a_rule_is_caught(monkeypatch):
    principals, _ = principals_create()
    matrix = access.access_matrix(make_client=make_client, principals=principals)
    assert access.rule_problems(matrix) == [
        "/sneaky/: anonymous users reach it but it is not declared PUBLIC",
        "/sneaky/: every role reaches it but it has no rule (EVERY_USER)",
    ]
