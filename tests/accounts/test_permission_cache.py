"""Permission sets and role names kept in the shared cache (``accounts.backends``): a change of
role shows on the very next request, and an unchanged user costs no permission queries."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from withhold.accounts.models import User
from withhold.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.WITHHOLD = {**settings.WITHHOLD, "SHARED_CACHE_SECONDS": 300}


def next_request(user) -> User:
    """The user as the next request loads them: a fresh row, nothing remembered on it."""
    return User.objects.get(pk=user.pk)


def test_an_unchanged_user_reads_permissions_and_roles_without_a_query(make_user):
    user = make_user(Role.CASE_ANALYST)
    assert next_request(user).has_perm("cases.change_case")
    next_request(user).role_labels()
    fresh = next_request(user)
    with CaptureQueriesContext(connection) as queries:
        assert fresh.has_perm("cases.change_case")
        assert not fresh.has_perm("orders.issue_order")
        assert fresh.role_labels() == ["Case analyst"]
    assert not queries.captured_queries


def test_a_role_taken_away_is_gone_on_the_next_request(make_user):
    user = make_user(Role.CASE_ANALYST)
    assert next_request(user).has_perm("cases.change_case")
    user.groups.remove(Group.objects.get(name=Role.CASE_ANALYST.label))
    fresh = next_request(user)
    assert not fresh.has_perm("cases.change_case")
    assert fresh.role_labels() == []


def test_a_role_given_and_a_permission_added_to_a_role_show_at_once(make_user):
    user = make_user(Role.CASE_ANALYST)
    assert not next_request(user).has_perm("screening.view_screeningrun")
    user.groups.add(Group.objects.get(name=Role.TARGETING_ANALYST.label))
    assert next_request(user).has_perm("screening.view_screeningrun")
    assert "Targeting analyst" in next_request(user).role_labels()

    permission = Permission.objects.get(codename="issue_order", content_type__app_label="orders")
    assert not next_request(user).has_perm("orders.issue_order")
    Group.objects.get(name=Role.CASE_ANALYST.label).permissions.add(permission)
    assert next_request(user).has_perm("orders.issue_order")


def test_deactivating_or_promoting_a_user_shows_at_once(make_user):
    user = make_user(Role.CASE_ANALYST)
    assert next_request(user).has_perm("cases.change_case")
    user.is_active = False
    user.save()
    assert not next_request(user).has_perm("cases.change_case")
    user.is_active, user.is_superuser = True, True
    user.save()
    assert next_request(user).has_perm("orders.issue_order")


def test_one_users_permissions_are_never_served_to_another(make_user):
    analyst = make_user(Role.CASE_ANALYST)
    importer = make_user(Role.IMPORTER, username="importer-1")
    assert next_request(analyst).has_perm("cases.change_case")
    assert not next_request(importer).has_perm("cases.change_case")


def test_a_sign_in_keeps_everyones_kept_permissions(make_user, client):
    from withhold.accounts.backends import PERMISSIONS

    user = make_user(Role.CASE_ANALYST)
    before = PERMISSIONS.current()
    client.force_login(user)  # saves last_login only
    assert PERMISSIONS.current() == before
    user.first_name = "Renamed"
    user.save()
    assert PERMISSIONS.current() != before
