"""The canary: every sensitive field of a data set holds a unique marker (``conftest.world``);
every page, API operation, export, generated PDF and outgoing e-mail is requested as every role,
and a marker found where the visibility policy (``accounts.visibility``) does not let that role
see it fails the test, naming the role, the request and the marker.

Routes come from the URL resolver (``operations.access.routes``, the access review's walk), each
filled twice with real ids: once pointing at the LES case, the allegation on it, the LES evidence
item, the LES task and the generated report, once at the ordinary ones. Lists are asked with
every state (``?state=all``) and as CSV (``&format=csv``).
PDF streams are inflated before they are searched. The task reminders run first, into the locmem
outbox and every owner's notice list (``/notices/``, walked with the other pages); every user is
also given a notice written about the LES task in the days they could see it, which the notice
list must withhold from whoever no longer may.

Not covered here: the CEE recommendation on detentions (the detentions app's allow-list tests).
"""

from http.cookies import SimpleCookie

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from withhold.accounts.roles import Role
from withhold.accounts.visibility import can_see
from withhold.cases.reminders import task_reminders_send
from withhold.cases.selectors import case_visible_queryset
from withhold.notices.models import Kind
from withhold.notices.services import notice_create
from withhold.operations.access import fill, routes

from ..pdftext import pdf_streams

pytestmark = pytest.mark.django_db

QUERIES = ("?state=all", "?state=all&format=csv")


def _allowed(user, key: str, case) -> bool:
    """Whether the policy lets ``user`` see a marker: the rule, and the case it sits on."""
    if not can_see(user, key):
        return False
    return case is None or case_visible_queryset(user).filter(pk=case.pk).exists()


def _body(response) -> str:
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    text = raw.decode("utf-8", "replace")
    if raw.startswith(b"%PDF"):
        text += "".join(content.decode("latin-1") for content, _ in pdf_streams(raw))
    return text.lower()


def _values(world, *, les: bool) -> dict[str, str]:
    case = world.les_case if les else world.case
    return {
        "case": case.number,
        "order": world.order.number,
        "entity": str(world.case.entities.first().pk),
        "evidence": str((world.les_evidence if les else world.evidence).pk),
        "detention": "0",
        "receipt": (world.on_les if les else world.on_case).receipt_number,
        "task": str(world.les_task.pk if les else case.tasks.first().pk),
        "opinion": str(world.opinion.pk),
        "petition": "0",
        "supply_link": str(world.case.supply_links.first().pk),
        "case_entity": str(world.case.case_entities.first().pk),
    }


def _paths(world) -> list[str]:
    """Every GET-able route, filled with the LES ids and the ordinary ones; lists also with
    each query of ``QUERIES``; the generated report's download by its id."""
    paths: list[str] = []
    for route in routes():
        view_class = getattr(route.view, "view_class", None) or getattr(route.view, "cls", None)
        if view_class is not None and not hasattr(view_class, "get"):
            continue
        if "<" not in route.route:
            paths.extend(fill(route.route, {}) + query for query in QUERIES)
            continue
        for les in (True, False):
            path = fill(route.route, _values(world, les=les))
            path = path.replace("/documents/0/", f"/documents/{world.report.pk}/")
            paths.append(path)
    paths.append(f"/cases/{world.case.number}/documents/{world.report.pk}/")
    return list(dict.fromkeys(paths))


def _leaks_in(text: str, where: str, user, world) -> list[str]:
    return [
        f"{user.username}: {where} shows {marker}"
        for marker, (key, case) in world.markers.items()
        if marker.lower() in text and not _allowed(user, key, case)
    ]


def test_no_marker_reaches_a_role_the_policy_does_not_allow(world, make_user):
    users = {role.value: make_user(role, username=role.value) for role in Role}
    leaks: list[str] = []
    paths = _paths(world)
    mail.outbox.clear()
    task_reminders_send(today=timezone.localdate())
    for user in users.values():
        notice_create(
            recipient=user,
            kind=Kind.TASK_ASSIGNED,
            subject=f"{world.les_case.number}: {world.les_task.title}",
            body=world.les_task.description,
            related=world.les_task,
            send_on_commit=False,
        )
    for user in users.values():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        cookies = client.cookies.output()
        for path in paths:
            with transaction.atomic():
                response = client.get(path, HTTP_ACCEPT="*/*")
                transaction.set_rollback(True)
            client.cookies = SimpleCookie()
            client.cookies.load(cookies.replace("Set-Cookie: ", "").replace("\r\n", "; "))
            if response.status_code >= 300:
                continue
            leaks.extend(_leaks_in(_body(response), f"GET {path}", user, world))
    by_address = {user.email: user for user in users.values()}
    for message in mail.outbox:
        for address in message.to:
            text = f"{message.subject}\n{message.body}".lower()
            leaks.extend(_leaks_in(text, "reminder e-mail", by_address[address], world))
    assert not leaks, "\n".join(sorted(set(leaks)))


def test_the_canary_sees_what_the_policy_allows(world, case_analyst, client):
    """The markers are where they should be for a cleared reader, so the test above would find
    them if they leaked (the canary is alive)."""
    client.force_login(case_analyst)
    page = client.get(f"/cases/{world.les_case.number}/").content.decode()
    assert world.les_case.number in page and "CNRY-LESCASE-TITLE" in page
    evidence = client.get(f"/cases/{world.case.number}/evidence/").content.decode()
    assert "CNRY-LESEVIDENCE-TEXT" in evidence
    report = client.get(f"/cases/{world.case.number}/documents/{world.report.pk}/")
    assert "cnry-lesevidence-text" in _body(report)
    order = client.get(f"/orders/{world.order.number}/").content.decode()
    assert "CNRY-ORDER-NOTES" in order and "CNRY-OPINION-SUMMARY" in order
    notice_create(
        recipient=case_analyst,
        kind=Kind.TASK_ASSIGNED,
        subject=world.les_task.title,
        body=world.les_task.description,
        related=world.les_task,
        send_on_commit=False,
    )
    notices = client.get("/notices/").content.decode()
    assert world.les_task.title in notices and world.les_task.description in notices
