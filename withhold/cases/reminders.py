"""Reminding task owners of work that is due. Run hourly by Celery beat (``tasks.py``), or without a
broker by ``withhold serve``'s scheduler; each open task due today or overdue gets at most one
notice a day (the owner's notice list and an e-mail), recorded on the task.

An e-mail carries case data (number, title, the task's words) only to an owner who may see the
case (``selectors.case_visible_queryset``, the visibility policy); an owner who no longer may
(the case was marked law-enforcement-sensitive after the task was given) is told only that a
task needs attention, with nothing of the case."""

from datetime import date

from django.db import transaction

from withhold.notices.services import notice_deliver

from .models import Task
from .notices import notify_task_due
from .selectors import case_visible_queryset


def reminder_text(task: Task, *, today: date) -> tuple[str, str]:
    """The subject and body of a task's reminder, as its owner may read them."""
    overdue = (today - task.due_on).days
    when = "is due today" if overdue == 0 else f"is {overdue} day(s) overdue"
    if not case_visible_queryset(task.owner).filter(pk=task.case_id).exists():
        return (
            f"[Withhold] A task {when}",
            f"A task given to you {when} (due {task.due_on:%Y-%m-%d}), on a case your role "
            "cannot see. Ask your supervisor to reassign it.\n",
        )
    return (
        f"[Withhold] {task.case.number}: {task.title} {when}",
        f"Your task “{task.title}” on case {task.case.number} {when} "
        f"(due {task.due_on:%Y-%m-%d}).\n\n{task.description}\n",
    )


def task_reminders_send(*, today: date) -> int:
    """Remind each owner of an open task due on or before ``today`` not yet reminded today.
    Returns how many reminders were sent. Safe to run twice at once: each task row is locked and
    re-checked before its reminder is recorded; the e-mail goes out after the commit."""
    due_ids = list(
        Task.objects.filter(state=Task.State.OPEN, due_on__lte=today)
        .exclude(reminded_on=today)
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in due_ids:
        with transaction.atomic():
            task = (
                # of=("self",): lock the task only. Locking the joined case and owner rows too would
                # make a second run skip every other task of the same case or owner, and the two
                # runs could each skip a task the other had already passed.
                Task.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("case", "owner")
                .filter(pk=pk, state=Task.State.OPEN)
                .exclude(reminded_on=today)
                .first()
            )
            if task is None:
                continue
            subject, message = reminder_text(task, today=today)
            notice = notify_task_due(task, today=today, subject=subject, body=message)
            task.reminded_on = today
            task.save(update_fields=["reminded_on"])
            sent += 1
        notice_deliver(notice.pk)
    return sent
