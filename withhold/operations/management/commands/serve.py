"""``withhold serve``: the development server, and without a broker the scheduled jobs too.

Django's ``runserver`` (with static files), plus ``operations.scheduler.Scheduler`` in a thread
when there is no Celery broker, so ``make run`` reminds, proposes exclusions, retries notices and
takes the quality snapshot with nothing else to start. ``--no-scheduler`` (or
``WITHHOLD_SCHEDULER=false``) leaves it out.
"""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from withhold.operations import scheduler


class Command(RunserverCommand):
    help = "Serve Withhold for development; without a broker, also run the scheduled jobs."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="do not run the scheduled jobs in this process",
        )

    def inner_run(self, *args, **options):
        # In the process that serves (the autoreloader's child when reloading).
        if options.get("scheduler", True) and scheduler.should_run_in_process():
            names = ", ".join(job.name for job in scheduler.scheduled_jobs())
            self.stdout.write(
                f"Scheduled jobs run in this process (no broker), checked every "
                f"{scheduler.Scheduler().tick:g} s: {names}.\n"
            )
            scheduler.Scheduler().start()
        super().inner_run(*args, **options)
