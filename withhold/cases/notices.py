"""What staff are told of their tasks: a task given to them, and a task coming due.

A notice names the case (number, title, the task's words) only to an owner who may see the case
(``selectors.case_visible_queryset``, the visibility policy); an owner who no longer may is told
only that a task needs attention, with nothing of the case and no link to it.
"""

from datetime import date

from django.urls import reverse

from withhold.notices.models import Kind, Notice
from withhold.notices.services import notice_create

from .models import Task
from .selectors import case_visible_queryset


def owner_sees_case(task: Task) -> bool:
    return case_visible_queryset(task.owner).filter(pk=task.case_id).exists()


def notify_task_assigned(task: Task, *, actor) -> Notice | None:
    if task.owner_id == getattr(actor, "pk", None) or not owner_sees_case(task):
        return None
    by = actor.get_full_name() or actor.get_username()
    return notice_create(
        recipient=task.owner,
        kind=Kind.TASK_ASSIGNED,
        subject=f"{task.case.number}: task “{task.title}” given to you",
        body=(
            f"{by} gave you a task on case {task.case.number} ({task.case.title}), due "
            f"{task.due_on:%Y-%m-%d}:\n\n{task.title}\n\n{task.description}\n"
        ),
        related=task,
        link=reverse("cases:detail", args=[task.case.number]),
    )


def notify_task_due(task: Task, *, today: date, subject: str, body: str) -> Notice:
    """The reminder of a task due or overdue, in words from ``reminders.reminder_text``."""
    sees = owner_sees_case(task)
    return notice_create(
        recipient=task.owner,
        kind=Kind.TASK_DUE,
        subject=subject.removeprefix("[Withhold] "),
        body=body,
        related=task if sees else None,
        link=reverse("cases:detail", args=[task.case.number]) if sees else "",
        send_on_commit=False,
    )
