"""How a lower app finds what the apps above it contribute, without importing them.

An app declares its part of a shared mechanism in a module of a known name — its roles'
permissions in ``roles.py`` (``ROLE_PERMISSIONS``), its reference-data loaders in
``reference_steps.py`` (``REFERENCE_STEPS``), its demo data in ``demo.py`` (``DEMO_LOADERS``) —
and the mechanism collects them here, in ``INSTALLED_APPS`` order, the way Django's own
``autodiscover_modules`` finds ``admin.py``.
"""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(module: str, *, exclude: tuple[str, ...] = ()) -> list[ModuleType]:
    """Each Withhold app's ``<app>.<module>`` that exists, except the apps named in ``exclude``."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("withhold.") or config.name in exclude:
            continue
        name = f"{config.name}.{module}"
        if find_spec(name) is not None:
            found.append(import_module(name))
    return found


def app_contributions(module: str, attribute: str, *, exclude: tuple[str, ...] = ()) -> list:
    """The items of every app's ``<module>.<attribute>`` list, concatenated."""
    items: list = []
    for found in app_modules(module, exclude=exclude):
        items.extend(getattr(found, attribute, []))
    return items
