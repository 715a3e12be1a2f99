from django.core.management.base import BaseCommand

from withhold.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from withhold.cases.demo import demo_data_load
from withhold.core import jobs
from withhold.core.discovery import app_contributions


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
        # The apps above cases add their own demo records (each app's demo.DEMO_LOADERS). Their
        # background work (the demo screening run, the re-screening it causes) runs here, in
        # order, not on background threads that would race the loaders' follow-ups and that
        # this command's exit would cut short.
        with jobs.in_caller():
            for loader in app_contributions("demo", "DEMO_LOADERS", exclude=("withhold.cases",)):
                loader(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING("Sign in at http://127.0.0.1:8000/ as any of:")
        )
        for username, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {role.label}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
