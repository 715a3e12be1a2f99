"""Made-up demo orders on the demo cases: one waiting for counsel, one issued with a pending
importer petition. Flagged ``is_demo`` and labelled on every page; reference orders (real, from
``withhold load-reference``) are never touched here.

Run by ``withhold load-demo`` after the demo cases (found through ``DEMO_LOADERS``).
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from withhold.accounts.models import User
from withhold.cases.models import Case, CaseEntity, Phase, Status

from . import services
from .models import Order

PDF = b"%PDF-1.4\n% DEMO legal-sufficiency memo, made up\n1 0 obj <<>> endobj\n%%EOF\n"


def _memo() -> SimpleUploadedFile:
    return SimpleUploadedFile("demo-opinion.pdf", PDF, content_type="application/pdf")


def _draft(case: Case, supervisor: User) -> Order:
    order = services.order_create(
        actor=supervisor,
        kind="wro",
        merchandise=f"DEMO {case.commodity.name} (made-up order)",
        cases=[case],
        country=case.source_country,
        internal_notes="DEMO: made-up note; never published.",
        is_demo=True,
    )
    link = case.case_entities.filter(role=CaseEntity.Role.MANUFACTURER).first()
    if link is not None:
        services.scope_rule_add(order=order, actor=supervisor, kind="entity", entity=link.entity)
    else:
        services.scope_rule_add(
            order=order,
            actor=supervisor,
            kind="country_commodity",
            country=case.source_country,
            commodity=case.commodity,
        )
    return services.order_submit(order=order, actor=supervisor)


@transaction.atomic
def orders_demo_load(*, stdout=None) -> dict:
    if Order.objects.filter(is_demo=True).exists():
        return {"orders": 0}
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    cases = list(
        Case.objects.filter(is_demo=True, phase=Phase.LEGAL_REVIEW, status=Status.ACTIVE)
        .select_related("commodity")
        .order_by("number")[:2]
    )
    if len(cases) < 2 or not {"supervisor", "counsel", "approver", "importer"} <= set(users):
        return {"orders": 0}
    today = timezone.localdate()
    _draft(cases[0], users["supervisor"])
    issued = _draft(cases[1], users["supervisor"])
    services.order_legal_opinion_record(
        order=issued,
        actor=users["counsel"],
        sufficient=True,
        standard="reasonable_not_conclusive",
        opinion_on=today,
        summary="DEMO: made-up opinion. The evidence reasonably indicates forced labor.",
        memo=_memo(),
    )
    services.order_decide(
        order=issued,
        actor=users["approver"],
        decision="approved",
        decided_on=today,
        planned_issue_on=today + timedelta(days=14),
    )
    services.order_issue(order=issued, actor=users["approver"], issued_on=today)
    services.petition_submit(
        order=issued,
        actor=users["importer"],
        request="modify",
        petitioner_name="DEMO Importers Inc.",
        grounds="DEMO: made-up petition. Our goods come from another mill; audit enclosed.",
        is_demo=True,
    )
    if stdout is not None:
        stdout.write("Created 2 made-up demo orders and 1 demo petition.\n")
    return {"orders": 2}


DEMO_LOADERS = [orders_demo_load]
