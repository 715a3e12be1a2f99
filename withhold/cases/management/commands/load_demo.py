from django.core.management.base import BaseCommand

from withhold.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from withhold.cases.demo import demo_data_load


def demo_loaders() -> list:
    """Other apps' demo loaders: each Withhold app's ``demo.py`` with a ``DEMO_LOADERS`` list,
    found the way ``accounts.roles.role_permissions`` finds ``roles.py`` (cases cannot import
    the apps above it)."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    loaders = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if not config.name.startswith("withhold.") or config.name == "withhold.cases":
            continue
        if find_spec(module_name) is None:
            continue
        loaders.extend(getattr(import_module(module_name), "DEMO_LOADERS", []))
    return loaders


class Command(BaseCommand):
    help = "Create one demo account per role and a made-up, clearly labelled demo case set."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=307, help="Random seed for the demo set.")

    def handle(self, *args, seed: int, **options):
        result = demo_data_load(seed=seed, stdout=self.stdout)
        if result["cases"]:
            self.stdout.write(self.style.SUCCESS(f"Created {result['cases']} made-up demo cases."))
        else:
            self.stdout.write(
                f"Demo cases already loaded ({result['existing']}); left as they are."
            )
        for loader in demo_loaders():
            loader(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING("Sign in at http://127.0.0.1:8000/ as any of:")
        )
        for username, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {role.label}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
