from django.core.management.base import BaseCommand, CommandError

from withhold.operations import scheduler


class Command(BaseCommand):
    help = (
        "Run every job of the beat schedule once, now, in this process: detention deadline "
        "reminders, proposed exclusions, task reminders, notice retries, identity erasure and "
        "the data-quality snapshot. With --due, only those whose interval has passed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--due", action="store_true", help="only the jobs due by their interval"
        )

    def handle(self, *args, due: bool = False, **options):
        outcomes = scheduler.run_due() if due else scheduler.run_all()
        for outcome in outcomes:
            style = self.style.SUCCESS if outcome.ok else self.style.ERROR
            self.stdout.write(style(f"{outcome.job.name}: {outcome.result or 'done'}"))
        if not outcomes:
            self.stdout.write("No job was due.")
        failed = [o.job.name for o in outcomes if not o.ok]
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)}")
