"""The notice list: a user's own notices, the unread count in the header, marking read; notices
written by the domain code; and need-to-know at reading time."""

import datetime as dt

import pytest
from django.utils import timezone

from withhold.cases import services as case_services
from withhold.cases.models import Case
from withhold.notices.models import Kind, Notice
from withhold.notices.selectors import WITHHELD_SUBJECT
from withhold.notices.services import notice_create

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def _notice(user, subject="A task is due", **fields):
    return notice_create(
        recipient=user,
        kind=fields.pop("kind", Kind.TASK_DUE),
        subject=subject,
        body=fields.pop("body", "Your task is due today."),
        send_on_commit=False,
        **fields,
    )


def test_a_user_sees_only_their_own_notices_and_the_unread_count(
    client, case_analyst, intake_analyst
):
    mine = _notice(case_analyst, "Mine to read")
    _notice(intake_analyst, "Someone else's")
    client.force_login(case_analyst)
    page = client.get("/notices/", **HOST).content.decode()
    assert "Mine to read" in page and "Someone else&#x27;s" not in page
    assert 'id="nav-notices-unread">1 unread' in page

    response = client.post(f"/notices/{mine.pk}/read/", **HOST)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    page = client.get("/notices/", **HOST).content.decode()
    assert "nav-notices-unread" not in page
    assert "Mine to read" not in client.get("/notices/?state=unread", **HOST).content.decode()


def test_nobody_marks_another_users_notice_read(client, case_analyst, intake_analyst):
    theirs = _notice(intake_analyst)
    client.force_login(case_analyst)
    assert client.post(f"/notices/{theirs.pk}/read/", **HOST).status_code == 404
    assert client.get(f"/notices/{theirs.pk}/read/", **HOST).status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, case_analyst):
    for n in range(3):
        _notice(case_analyst, f"Notice {n}")
    client.force_login(case_analyst)
    client.post("/notices/read/", **HOST)
    assert not Notice.objects.filter(recipient=case_analyst, read_at__isnull=True).exists()


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/notices/", **HOST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_task_given_to_someone_tells_them_not_the_giver(supervisor, case_analyst):
    case = CaseFactory(assigned_analyst=case_analyst, supervisor=supervisor)
    due = timezone.localdate() + dt.timedelta(days=3)
    task = case_services.task_create(
        case=case, actor=supervisor, title="Call the auditor", owner=case_analyst, due_on=due
    )
    notice = Notice.objects.get(recipient=case_analyst)
    assert notice.kind == Kind.TASK_ASSIGNED and notice.related == task
    assert case.number in notice.subject and "Call the auditor" in notice.body
    case_services.task_create(
        case=case, actor=case_analyst, title="Mine", owner=case_analyst, due_on=due
    )
    assert Notice.objects.filter(recipient=case_analyst).count() == 1


def test_a_notice_about_a_case_its_reader_can_no_longer_see_is_withheld(
    client, supervisor, intake_analyst
):
    case = CaseFactory(title="Quiet supplier investigation")
    task = case_services.task_create(
        case=case,
        actor=supervisor,
        title="Interview the recruiter",
        owner=intake_analyst,
        due_on=timezone.localdate(),
    )
    client.force_login(intake_analyst)
    assert "Interview the recruiter" in client.get("/notices/", **HOST).content.decode()
    # The case is marked law-enforcement-sensitive; the intake analyst may no longer see it.
    Case.objects.filter(pk=task.case_id).update(law_enforcement_sensitive=True)
    page = client.get("/notices/", **HOST).content.decode()
    assert "Interview the recruiter" not in page and case.number not in page
    assert WITHHELD_SUBJECT in page
