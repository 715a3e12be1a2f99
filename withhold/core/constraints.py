"""Check constraints validated in Python before a save, instead of one database query each.

``Model.full_clean()`` asks the database about every ``CheckConstraint`` of the model, one
``SELECT`` inside its own savepoint each: a public intake submission spent fifteen of its
twenty-one queries on its five constraints. ``evaluate`` decides a constraint's condition in
Python when it is made only of what our constraints use (``exact``, ``in``, ``isnull``, ``gt``,
``gte``, ``lt``, ``lte`` on the model's own fields, against a value or another field of the row
(``F``), joined by AND, OR and NOT) with SQL's
three-valued logic, so a condition that comes out unknown (a NULL compared) passes, as it does
in the database. Any other condition is still sent to the database by Django.

The database keeps every constraint either way: this only decides which message the user sees
before the row is written. ``tests/core/test_constraints.py`` holds every check constraint of
every model to the database's own verdict.
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import router
from django.db.models import CheckConstraint, F, Q

UNKNOWN = None  # SQL NULL: neither true nor false


class Undecided(Exception):
    """The condition uses something ``evaluate`` does not decide; ask the database."""


_LOOKUPS = {"exact", "in", "isnull", "gt", "gte", "lt", "lte"}


def _column(model, values: dict, name: str):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise Undecided(str(exc)) from exc
    if field.many_to_many or field.one_to_many or not getattr(field, "attname", None):
        raise Undecided(f"{name} is not a column")
    return values[field.attname]


def _operand(model, values: dict, want):
    """A literal, or ``F("other_field")`` of the same row."""
    if isinstance(want, F) and "__" not in want.name:
        return _column(model, values, want.name)
    if hasattr(want, "resolve_expression"):
        raise Undecided(f"an expression: {want!r}")
    return want


def _compare(lookup: str, have, want):
    if lookup == "isnull":
        return (have is None) is bool(want)
    if have is None:
        return UNKNOWN
    if lookup == "in":
        wanted = list(want)
        if have in wanted:
            return True
        return UNKNOWN if any(w is None for w in wanted) else False
    if want is None:
        # Django turns ``exact=None`` into IS NULL; the others compare with NULL: unknown.
        return have is None if lookup == "exact" else UNKNOWN
    try:
        if lookup == "exact":
            return have == want
        if lookup == "gt":
            return have > want
        if lookup == "gte":
            return have >= want
        if lookup == "lt":
            return have < want
        return have <= want
    except TypeError as exc:
        raise Undecided(str(exc)) from exc


def _leaf(model, values: dict, name: str, want):
    field_name, _, lookup = name.partition("__")
    lookup = lookup or "exact"
    if lookup not in _LOOKUPS:
        raise Undecided(f"lookup {lookup!r}")
    if lookup == "in":
        want = [_operand(model, values, w) for w in want]
    else:
        want = _operand(model, values, want)
    return _compare(lookup, _column(model, values, field_name), want)


def evaluate(condition: Q, model, values: dict):
    """True, False or ``UNKNOWN``: ``condition`` with the columns set to ``values`` (by
    attname). Raises ``Undecided`` for anything but the lookups named above."""
    if not isinstance(condition, Q) or condition.connector not in (Q.AND, Q.OR):
        raise Undecided("not a plain AND/OR condition")
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(evaluate(child, model, values))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_leaf(model, values, *child))
        else:
            raise Undecided(f"an expression: {child!r}")
    if condition.connector == Q.AND:
        result = False if False in results else (UNKNOWN if UNKNOWN in results else True)
    else:
        result = True if True in results else (UNKNOWN if UNKNOWN in results else False)
    if condition.negated:
        result = UNKNOWN if result is UNKNOWN else not result
    return result


def _fields_of(condition: Q) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _fields_of(child)
        elif isinstance(child, tuple):
            names.add(child[0].split("__", 1)[0])
            if isinstance(child[1], F):
                names.add(child[1].name.split("__", 1)[0])
    return names


def check_constraint_passes(constraint: CheckConstraint, model, instance, exclude=None) -> bool:
    """Whether ``instance`` satisfies ``constraint`` (decided in Python, else by the database),
    skipping it, as Django does, when it reads a field in ``exclude``."""
    condition = constraint.condition
    try:
        if exclude and _fields_of(condition) & set(exclude):
            return True
        values = {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}
        return evaluate(condition, model, values) is not False
    except Undecided:
        using = router.db_for_write(model, instance=instance)
        try:
            constraint.validate(model, instance, exclude=exclude, using=using)
        except ValidationError:
            return False
        return True


class PythonCheckedConstraints:
    """Model mixin: ``full_clean()`` decides check constraints in Python where it can (see the
    module's docstring); unique and other constraints are validated by Django as before."""

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    if isinstance(constraint, CheckConstraint):
                        if not check_constraint_passes(constraint, model_class, self, exclude):
                            raise ValidationError(
                                constraint.get_violation_error_message(),
                                code=constraint.violation_error_code,
                            )
                    else:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    fields = getattr(constraint, "fields", ())
                    if getattr(exc, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(exc)
                    else:
                        errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
