"""Hostile input on the whole JSON API: schemathesis generates requests from our OpenAPI schema
(``/api/schema/``) and sends them in-process (WSGI), signed in as a user holding every staff role
and once anonymous. Zero server errors (5xx), and responses that match the schema's status-code
bodies and content types.

Bounded: the schema's examples plus ``EXAMPLES`` random cases per operation, no deadline, no
example database. Half the signed-in cases have their path parameters pointed at records that
exist (a case, an entity, an order, a detention, an allegation, a task) so they reach the
services rather than a 404.

Not checked: that every status code is documented (lists answer 404 for a page past the end,
DRF's behaviour, which the schema does not list).
"""

import itertools

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks as st_checks

from withhold.accounts.roles import Role

from ..factories import UserFactory
from .seed import seed_records

EXAMPLES = 12

SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
SCHEMA.app = get_wsgi_application()
# Random generation only: the coverage phase sends every boundary case the schema defines
# (hundreds per operation, minutes in all).
SCHEMA.config.phases.update(phases=["examples", "fuzzing"])

# Every staff role at once. The importer and public roles only narrow what a user sees.
STAFF_ROLES = [role for role in Role if role not in (Role.IMPORTER, Role.PUBLIC)]

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

CHECKS = [
    st_checks.not_a_server_error,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, whose request signals close a database
    connection that is inside a transaction (the test's, on PostgreSQL). Django's test client
    disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db):
    cache.clear()  # the intake rate limits count in the cache
    user = UserFactory(username="fuzz-all-roles")
    user.groups.set(Group.objects.filter(name__in=[role.label for role in STAFF_ROLES]))
    records = seed_records()
    from withhold.operations.tokens import api_token_issue

    _, key = api_token_issue(user=user, actor=None, scope="write")
    yield key, records, itertools.count()
    cache.clear()


def point_at_records(case, records) -> None:
    """Aim the path parameters at records that exist."""
    path = case.operation.path
    targets = {
        "number": records.order_number if path.startswith("/api/orders/") else records.case_number,
        "entity_id": records.entity_id,
        "detention_id": records.detention_id,
        "receipt_number": records.receipt_number,
        "task_id": records.task_id,
    }
    for name in list(case.path_parameters or {}):
        if name in targets:
            case.path_parameters[name] = targets[name]


@pytest.mark.django_db
@SCHEMA.parametrize()
@FUZZ_SETTINGS
def test_api_signed_in_with_every_role(case, seeded):
    token, records, counter = seeded
    if next(counter) % 2 == 0:
        point_at_records(case, records)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


@pytest.mark.django_db
@SCHEMA.parametrize()
@FUZZ_SETTINGS
def test_api_anonymous(case):
    cache.clear()
    case.call_and_validate(checks=CHECKS)
