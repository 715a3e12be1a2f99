"""Check constraints decided in Python (``withhold.core.constraints``) agree with the database.

Every ``CheckConstraint`` of every model is evaluated both ways over combinations of the values
that matter for it (each choice, the empty string, NULL, both booleans, a date or number either
side of the others); a single disagreement would let ``full_clean()`` accept a row the database
then refuses with an error page, or refuse a good one.
"""

import datetime
import itertools
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import CheckConstraint
from django.test.utils import CaptureQueriesContext

from withhold.core.constraints import _fields_of, evaluate
from withhold.intake import services as intake_services
from withhold.intake.models import Allegation

from ..intake.conftest import report_fields


def _check_constraints():
    for model in apps.get_models():
        if not model.__module__.startswith("withhold."):
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                yield pytest.param(model, constraint, id=f"{model.__name__}.{constraint.name}")


def _pool(field) -> list:
    """Values worth trying for ``field``: its choices, empties, and both sides of a boundary."""
    values: list = []
    if field.choices:
        values += [value for value, _label in field.flatchoices] + ["not-a-choice"]
    if isinstance(field, models.BooleanField):
        values += [True, False]
    elif isinstance(field, models.ForeignKey):
        values += [1]
    elif isinstance(field, models.DateTimeField):
        values += [datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)]
    elif isinstance(field, models.DateField):
        values += [
            datetime.date(2025, 12, 31),
            datetime.date(2026, 1, 1),
            datetime.date(2026, 1, 2),
        ]
    elif isinstance(field, models.DecimalField | models.FloatField | models.IntegerField):
        values += [-1, 0, 1, 100]
        if isinstance(field, models.DecimalField):
            values += [Decimal("0.5")]
    elif isinstance(field, models.CharField | models.TextField) and not field.choices:
        values += ["", "text"]
    elif isinstance(field, models.CharField | models.TextField):
        values += [""]
    if field.null:
        values.append(None)
    return list(dict.fromkeys(values, None)) or [None]


def _combinations(model, constraint, limit=400):
    fields = [model._meta.get_field(name) for name in sorted(_fields_of(constraint.condition))]
    pools = [_pool(f) for f in fields]
    every = list(itertools.product(*pools))
    if len(every) > limit:
        every = random.Random(constraint.name).sample(every, limit)
    for combination in every:
        yield {f.attname: value for f, value in zip(fields, combination, strict=True)}


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "constraint"), list(_check_constraints()))
def test_every_check_constraint_is_decided_in_python_as_the_database_decides(model, constraint):
    checked = 0
    for values in _combinations(model, constraint):
        instance = model(**values)
        ours = evaluate(constraint.condition, model, values) is not False
        try:
            constraint.validate(model, instance)
        except ValidationError:
            theirs = False
        else:
            theirs = True
        assert ours is theirs, f"{constraint.name} with {values}: Python {ours}, database {theirs}"
        checked += 1
    assert checked


@pytest.mark.django_db
def test_a_public_submission_asks_the_database_nothing_about_its_check_constraints():
    with CaptureQueriesContext(connection) as queries:
        receipt = intake_services.allegation_submit(**report_fields())
    assert receipt.allegation.pk
    assert not [q["sql"] for q in queries.captured_queries if '"_check"' in q["sql"]]


@pytest.mark.django_db
def test_a_broken_rule_is_still_refused_before_the_save_with_the_constraint_named():
    allegation = Allegation(
        **report_fields(), receipt_number="FLA-2026-999998", decision="declined"
    )
    with pytest.raises(ValidationError) as refused:
        allegation.full_clean(validate_unique=False)
    messages = " ".join(refused.value.messages)
    assert "allegation_decision_has_who_and_when" in messages
    assert "allegation_decline_reason_iff_declined" in messages
    assert not Allegation.objects.filter(receipt_number="FLA-2026-999998").exists()
