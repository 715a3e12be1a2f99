"""Who may still read a notice's text: each app registers, for the models its notices are
about, whether a user may see that record now (the visibility policy). A notice about a record
its recipient can no longer see (a case marked law-enforcement-sensitive since, an importer
account moved to another company) is listed without its subject and body."""

from collections.abc import Callable

from django.db import models

_checks: dict[type[models.Model], Callable[[object, models.Model], bool]] = {}


def register(model: type[models.Model], check: Callable[[object, models.Model], bool]) -> None:
    _checks[model] = check


def may_read(user, related: models.Model | None) -> bool:
    if related is None:
        return True
    check = _checks.get(type(related)._meta.concrete_model)
    return True if check is None else bool(check(user, related))
