"""The division's skills inventory, training plans and saved staffing scenarios.

GAO-21-106 recommended that the division assess its workforce needs: how many analysts the
caseload needs (the staffing model, ``staffing.py``) and which competencies it needs and holds
(the skills inventory below). Every change goes through ``services.py`` and is audited.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from withhold.core.models import TimeStampedModel


class Level(models.IntegerChoices):
    """How well someone holds a competency; a required level is met by that level or higher."""

    AWARENESS = 1, "1 · Awareness"
    WORKING = 2, "2 · Working"
    PROFICIENT = 3, "3 · Proficient"
    EXPERT = 4, "4 · Expert"


class Category(models.TextChoices):
    INVESTIGATION = "investigation", "Investigation"
    DATA = "data", "Trade and data analysis"
    LANGUAGE = "language", "Language"
    LEGAL = "legal", "Legal"
    SYSTEMS = "systems", "Systems"


class Competency(TimeStampedModel):
    """One competency on the division's required list, with how many people need it, how well."""

    Category = Category

    name = models.CharField(
        max_length=120, unique=True, help_text="The competency, in a few words."
    )
    category = models.CharField(max_length=16, choices=Category.choices)
    description = models.TextField(blank=True, help_text="What holding it means in the work.")
    required_level = models.PositiveSmallIntegerField(
        choices=Level.choices,
        default=Level.WORKING,
        help_text="The level the division needs people to hold.",
    )
    required_headcount = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
        help_text="How many staff need it at the required level or higher.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Retired competencies stay for history but leave the gap matrix."
    )

    class Meta:
        ordering = ["category", "name"]
        verbose_name_plural = "competencies"
        permissions = [
            ("view_workforce_assessment", "Can view the workforce needs assessment"),
            ("view_own_skills", "Can view one's own competencies and training"),
        ]

    def __str__(self) -> str:
        return self.name


class StaffCompetency(TimeStampedModel):
    """A competency one member of staff holds, at a level, with what shows it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="competencies"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="holders")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    evidence = models.CharField(
        max_length=300, blank=True, help_text="What shows the level: a course, a test, casework."
    )
    assessed_on = models.DateField(help_text="When the level was last assessed.")
    is_demo = models.BooleanField(
        default=False, help_text="Made-up record from the demo data set, not a real person's."
    )

    class Meta:
        ordering = ["user__username", "competency__name"]
        verbose_name_plural = "staff competencies"
        constraints = [
            models.UniqueConstraint(fields=["user", "competency"], name="staffcompetency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.competency} · {self.get_level_display()}"


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class TrainingPlan(TimeStampedModel):
    """Training planned for one person in one competency; completing it raises their level."""

    Status = TrainingStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_plans"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="training_plans"
    )
    title = models.CharField(max_length=200, help_text="The course or activity.")
    target_level = models.PositiveSmallIntegerField(
        choices=Level.choices, help_text="The level the person holds once it is completed."
    )
    due_on = models.DateField(help_text="When it should be completed.")
    status = models.CharField(
        max_length=12, choices=TrainingStatus.choices, default=TrainingStatus.PLANNED
    )
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Made-up record from the demo data set, not a real person's."
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="completed") & Q(completed_on__isnull=False))
                | (~Q(status="completed") & Q(completed_on__isnull=True)),
                name="trainingplan_completed_on_iff_completed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.user})"


class StaffingScenario(TimeStampedModel):
    """A saved run of the staffing model: its inputs and its answer, as they were computed."""

    name = models.CharField(max_length=120)
    allegations_per_year = models.DecimalField(max_digits=8, decimal_places=1)
    case_share = models.DecimalField(
        max_digits=4, decimal_places=3, help_text="Share of allegations that become cases."
    )
    analysts_on_board = models.PositiveSmallIntegerField()
    productive_hours_per_month = models.DecimalField(max_digits=6, decimal_places=1)
    max_utilisation = models.DecimalField(max_digits=4, decimal_places=3)
    phases = models.JSONField(
        help_text="Per phase: share reaching it, hours per case, target days."
    )
    cee_reviews_per_year = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="CEE review queue: proof reviews and UFLPA requests expected a year; empty for "
        "a scenario saved without the queue (saved before it was modelled).",
    )
    cee_hours_per_review = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True,
        help_text="CEE review queue: specialist hours one review takes.",
    )  # fmt: skip
    cee_target_days = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True,
        help_text="CEE review queue: target calendar days from arrival to recommendation.",
    )  # fmt: skip
    result = models.JSONField(help_text="The model's answer per phase, as computed when saved.")
    analysts_needed = models.PositiveIntegerField()
    gap = models.IntegerField(help_text="Analysts needed minus analysts on board.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
