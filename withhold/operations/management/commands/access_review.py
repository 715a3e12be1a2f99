import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from withhold.operations import access


def principals_create() -> tuple[dict, dict[str, str]]:
    from django.contrib.auth.models import Group

    from withhold.accounts.models import User
    from withhold.accounts.roles import Role

    principals: dict = {"anonymous": None}
    labels = {"anonymous": "anonymous"}
    for role in Role:
        user = User.objects.create_user(f"access-review-{role.value}", password=None)
        user.groups.set([Group.objects.get(name=role.label)])
        principals[role.value] = user
        labels[role.value] = role.label
    return principals, labels


def make_client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def build_review() -> tuple[str, list[str]]:
    """Demo data and one user per role, the matrix, the page; all in a transaction the caller
    rolls back."""
    from withhold.cases.demo import demo_data_load
    from withhold.core.discovery import app_contributions
    from withhold.reference.models import Commodity
    from withhold.reference.services import reference_load

    if not Commodity.objects.exists():
        reference_load()
    demo_data_load(seed=307)
    for loader in app_contributions("demo", "DEMO_LOADERS", exclude=("withhold.cases",)):
        loader(stdout=None)
    principals, labels = principals_create()
    # Refusals are the point here: keep django.request's 403/404 warnings out of the output.
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.CRITICAL)
    try:
        matrix = access.access_matrix(make_client=make_client, principals=principals)
    finally:
        request_logger.setLevel(level)
    return access.render_markdown(matrix, labels), access.rule_problems(matrix)


class Command(BaseCommand):
    help = (
        "Write the access review: every URL and API operation with the roles allowed, found by "
        "requesting each as every role on the demo data, in a transaction rolled back at the end "
        "(the database is left as it was). Run on a migrated database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default="docs/access-review.md")

    def handle(self, *args, output, **opts):
        with (
            override_settings(AXES_ENABLED=False, ALLOWED_HOSTS=["127.0.0.1"]),
            transaction.atomic(),
        ):
            text, problems = build_review()
            transaction.set_rollback(True)
        Path(output).write_text(text)
        self.stdout.write(f"Wrote {output}.")
        if problems:
            raise CommandError("Routes without a rule:\n" + "\n".join(problems))
