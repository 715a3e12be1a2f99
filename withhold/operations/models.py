from django.db import models


class ScheduledJobRun(models.Model):
    """When each job of the beat schedule last ran in-process (``withhold serve`` without a
    broker, or ``withhold run-scheduled-jobs``), so a restart does not run a daily job again."""

    name = models.CharField(max_length=100, unique=True, help_text="The beat schedule's entry.")
    task = models.CharField(max_length=200, help_text="The Celery task it runs.")
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True, help_text="What the job returned, as text.")
    last_error = models.TextField(blank=True, help_text="Why the last run failed, if it did.")
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
