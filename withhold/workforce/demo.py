"""Made-up demo competencies, training plans and a saved scenario for the demo users.

Every row is flagged ``is_demo`` and labelled "made-up demo" on the pages. Written through the
services (so the audit log shows them too) by the demo supervisor. Run by ``withhold load-demo``
after the demo cases (found through ``DEMO_LOADERS``).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from withhold.accounts.models import User

from . import selectors, services
from .models import Competency, StaffCompetency, StaffingScenario, TrainingPlan
from .staffing import PhaseInput

# username → [(competency name, level)]
HELD = {
    "analyst": [
        ("Forced-labor indicators (ILO)", 3),
        ("Supply-chain tracing", 3),
        ("Mandarin Chinese", 3),
        ("Open-source research", 2),
    ],
    "analyst2": [
        ("Forced-labor indicators (ILO)", 2),
        ("Trade data analysis", 3),
        ("Malay", 2),
    ],
    "supervisor": [
        ("Forced-labor indicators (ILO)", 4),
        ("Legal standards (19 U.S.C. 1307, 19 CFR 12.42)", 3),
        ("Supply-chain tracing", 3),
    ],
    "intake": [("Open-source research", 2), ("Spanish", 3)],
    "targeter": [("Targeting systems", 3), ("Trade data analysis", 2)],
}

# (username, competency, title, target level, due in days, status)
TRAINING = [
    (
        "analyst2",
        "Forced-labor indicators (ILO)",
        "DEMO ILO indicators workshop",
        3,
        -10,
        "planned",
    ),
    ("analyst2", "Malay", "DEMO Malay reading, intermediate", 3, 60, "in_progress"),
    ("analyst", "Trade data analysis", "DEMO Bills of lading and entry data", 2, 30, "planned"),
    ("targeter", "Supply-chain tracing", "DEMO Supply-chain mapping course", 2, -30, "completed"),
]


@transaction.atomic
def workforce_demo_load(*, stdout=None) -> dict:
    if StaffCompetency.objects.filter(is_demo=True).exists():
        return {"staff_competencies": 0}
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    actor = users.get("supervisor")
    if actor is None:
        return {"staff_competencies": 0}
    today = timezone.localdate()
    competencies = {c.name: c for c in Competency.objects.all()}
    held = 0
    for username, items in HELD.items():
        if username not in users:
            continue
        for name, level in items:
            if name not in competencies:
                continue
            services.staff_competency_record(
                actor=actor,
                user=users[username],
                competency=competencies[name],
                level=level,
                evidence="DEMO: made-up assessment",
                assessed_on=today - timedelta(days=90),
            )
            held += 1
    for username, name, title, level, due_in, status in TRAINING:
        if username not in users or name not in competencies:
            continue
        plan = services.training_plan_create(
            actor=actor,
            user=users[username],
            competency=competencies[name],
            title=title,
            target_level=level,
            due_on=today + timedelta(days=due_in),
        )
        if status != "planned":
            services.training_status_change(actor=actor, plan=plan, status=status, today=today)
    history = selectors.assessment(today=today)
    defaults = history.defaults
    services.scenario_save(
        actor=actor,
        name="DEMO baseline from history",
        inputs=services.ScenarioInputs(
            allegations_per_year=max(defaults["allegations_per_year"], 12.0),
            case_share=defaults["case_share"],
            analysts_on_board=defaults["analysts_on_board"],
            productive_hours_per_month=defaults["productive_hours_per_month"],
            max_utilisation=defaults["max_utilisation"],
            phases=[
                PhaseInput(
                    phase=phase,
                    share=values["share"],
                    hours_per_case=values["hours_per_case"],
                    target_days=values["target_days"],
                )
                for phase, values in defaults["phases"].items()
            ],
            review_queue=services.review_queue_input(
                reviews_per_year=defaults["cee_reviews_per_year"],
                hours_per_review=defaults["cee_hours_per_review"],
                target_days=defaults["cee_target_days"],
            ),
        ),
    )
    StaffCompetency.objects.filter(evidence__startswith="DEMO").update(is_demo=True)
    StaffCompetency.objects.filter(evidence__startswith="Training completed: DEMO").update(
        is_demo=True
    )
    TrainingPlan.objects.filter(title__startswith="DEMO").update(is_demo=True)
    StaffingScenario.objects.filter(name__startswith="DEMO").update(is_demo=True)
    if stdout is not None:
        stdout.write(f"Created {held} made-up demo staff competencies and their training.\n")
    return {"staff_competencies": held}


DEMO_LOADERS = [workforce_demo_load]
