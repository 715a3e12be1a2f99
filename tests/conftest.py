"""Shared fixtures: one user per role, reference rows, and factories (see ``factories.py``)."""

import os

import pytest
from hypothesis import settings as hypothesis_settings

from withhold.accounts.roles import Role

from .factories import CommodityFactory, UserFactory

# Property tests explore new inputs on a developer's machine; in CI (``CI=true``, set by
# ``.ci/run``) they replay the same examples on every run, so a build fails only for a change.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def make_user(db):
    def make(role: Role | None = None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


def _role_fixture(role: Role):
    @pytest.fixture
    def fixture(make_user):
        return make_user(role, username=role.value)

    return fixture


intake_analyst = _role_fixture(Role.INTAKE_ANALYST)
case_analyst = _role_fixture(Role.CASE_ANALYST)
supervisor = _role_fixture(Role.SUPERVISOR)
chief_counsel = _role_fixture(Role.CHIEF_COUNSEL)
approving_official = _role_fixture(Role.APPROVING_OFFICIAL)
targeting_analyst = _role_fixture(Role.TARGETING_ANALYST)
port_officer = _role_fixture(Role.PORT_OFFICER)
hsi_liaison = _role_fixture(Role.HSI_LIAISON)
importer = _role_fixture(Role.IMPORTER)
public_reader = _role_fixture(Role.PUBLIC)


@pytest.fixture
def commodity(db):
    return CommodityFactory(name="Cotton", hs_code="5201")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` are skipped when the suite runs on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
