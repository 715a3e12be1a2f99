"""The canary's second half: what a reader may not see must not change what the reader sees.

Markers catch hidden *text*; they cannot catch a hidden *number* ("2 more cases are not visible
to your role", an order's Cases column, an entity's case count, a derived evidence source, a
supply-chain graph's link count). So every page, list, export, PDF and reminder e-mail of the
canary (``test_canary._paths``) is requested as every role that may not see law-enforcement-
sensitive material, then more of it is added — a second LES case backing the same order and
naming the same entities, an LES evidence item of a new source kind on the ordinary case, a
supply link known only from that item, a task on the hidden case for a cleared analyst — and
everything is requested again. For those roles each answer must be the same, byte for byte once
the per-response tokens (CSRF, CSP nonce, PDF timestamps) are set aside. The clock stands still
for the comparison, so "now" cannot differ.
"""

import datetime as dt
import difflib
import re
from http.cookies import SimpleCookie

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from withhold.accounts.roles import Role
from withhold.accounts.visibility import can_see
from withhold.cases import services as case_services
from withhold.cases.reminders import task_reminders_send
from withhold.evidence import services as evidence_services

from ..evidence.conftest import add_evidence
from ..factories import TaskFactory
from ..pdftext import pdf_streams
from .test_canary import _paths

pytestmark = pytest.mark.django_db

LES = "case.law_enforcement_sensitive"

# Parts of an answer that differ between two requests for the same thing, whatever the data.
VOLATILE = [
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'), b'name="csrfmiddlewaretoken"'),
    (re.compile(rb'(name="csrf-token" content=)"[^"]+"'), rb"\1"),
    (re.compile(rb'(hx-headers=\'\{"X-CSRFToken": )"[^"]+"'), rb"\1"),
    (re.compile(rb'nonce="[^"]+"'), b"nonce"),
    (re.compile(rb"/CreationDate \(D:[^)]*\)"), b"/CreationDate"),
    (re.compile(rb"/ID \[<[0-9a-fA-F]+><[0-9a-fA-F]+>\]"), b"/ID"),
]


def _answer(response) -> bytes:
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if raw.startswith(b"%PDF"):
        # Compare what the PDF says, not how its streams happen to be compressed or indexed.
        raw = b"".join(content for content, _ in pdf_streams(raw))
    for pattern, replacement in VOLATILE:
        raw = pattern.sub(replacement, raw)
    return raw


def _all_answers(users, paths) -> dict[tuple[str, str], tuple[int, bytes]]:
    answers: dict[tuple[str, str], tuple[int, bytes]] = {}
    for user in users:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        cookies = client.cookies.output()
        for path in paths:
            with transaction.atomic():
                response = client.get(path, HTTP_ACCEPT="*/*")
                transaction.set_rollback(True)
            client.cookies = SimpleCookie()
            client.cookies.load(cookies.replace("Set-Cookie: ", "").replace("\r\n", "; "))
            answers[(user.username, path)] = (response.status_code, _answer(response))
    mail.outbox.clear()
    with transaction.atomic():  # reminders mark their tasks reminded; the next round must send too
        task_reminders_send(today=timezone.localdate())
        transaction.set_rollback(True)
    names = {user.email: user.username for user in users}
    for message in mail.outbox:
        for address in message.to:
            if address in names:
                key = (names[address], f"reminder e-mail {message.subject}")
                answers[key] = (0, message.body.encode())
    mail.outbox.clear()
    return answers


def _plant_more_hidden(world, *, supervisor, case_analyst, commodity) -> None:
    """More law-enforcement-sensitive material, touching everything the ordinary reader sees."""
    extra = case_services.case_create(
        actor=supervisor,
        title="Second joint investigation",
        allegation_summary="A second source reports the same mill.",
        commodity=commodity,
        source_country="CN",
        referral_source="ngo",
        received_on=timezone.localdate() - dt.timedelta(days=2),
        assigned_analyst=case_analyst,
        supervisor=supervisor,
        law_enforcement_sensitive=True,
    )
    world.order.cases.add(extra)
    for link in world.case.case_entities.select_related("entity"):
        case_services.case_entity_link(
            case=extra, entity=link.entity, role=link.role, actor=supervisor
        )
    TaskFactory(
        case=extra, owner=case_analyst, title="Meet the source", due_on=timezone.localdate()
    )
    item = add_evidence(
        world.case,
        case_analyst,
        kind="remote_sensing",
        source="remote_sensing",
        description="Imagery of new dormitories.",
        law_enforcement_sensitive=True,
    )
    mill = world.case.entities.get(name="Example Spinning Mill")
    factory = world.case.entities.get(name="Example Garment Factory")
    evidence_services.supply_link_add(
        case=world.case,
        actor=case_analyst,
        supplier=factory,
        buyer=mill,
        goods="Dyed thread",
        evidence_ids=[item.pk],
    )


def _difference(before: bytes, after: bytes) -> str:
    lines = difflib.unified_diff(
        before.decode("utf-8", "replace").splitlines(),
        after.decode("utf-8", "replace").splitlines(),
        lineterm="",
        n=0,
    )
    changed = [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    return " | ".join(line.strip()[:160] for line in changed[:4])


def test_hidden_material_changes_nothing_a_role_without_clearance_sees(
    world, make_user, supervisor, case_analyst, commodity
):
    users = [make_user(role, username=role.value) for role in Role]
    uncleared = [user for user in users if not can_see(user, LES)]
    assert uncleared, "every role is cleared: nothing to compare"
    paths = _paths(world)
    with time_machine.travel(timezone.now(), tick=False):
        before = _all_answers(uncleared, paths)
        _plant_more_hidden(
            world, supervisor=supervisor, case_analyst=case_analyst, commodity=commodity
        )
        after = _all_answers(uncleared, paths)
    changed = [
        f"{user} {where}: {before[(user, where)][0]} -> {after.get((user, where), (None,))[0]}; "
        f"{_difference(before[(user, where)][1], after.get((user, where), (0, b''))[1])}"
        for (user, where) in before
        if before[(user, where)] != after.get((user, where))
    ]
    changed += [
        f"{user} {where}: new answer" for (user, where) in after if (user, where) not in before
    ]
    assert not changed, "\n".join(sorted(changed))


def test_the_comparison_sees_a_difference_where_the_reader_is_cleared(
    world, make_user, supervisor, case_analyst, commodity
):
    """A cleared supervisor's order page does change: the comparison is alive."""
    reader = make_user(Role.SUPERVISOR, username="cleared")
    assert can_see(reader, LES)
    path = f"/orders/{world.order.number}/"
    with time_machine.travel(timezone.now(), tick=False):
        before = _all_answers([reader], [path])
        _plant_more_hidden(
            world, supervisor=supervisor, case_analyst=case_analyst, commodity=commodity
        )
        after = _all_answers([reader], [path])
    assert before[("cleared", path)] != after[("cleared", path)]
