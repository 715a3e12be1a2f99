"""A made-up demo screening run: a few invented entry lines, one naming the demo order's entity,
one a company of the UFLPA Entity List, one from North Korea, the rest unlisted. Flagged
``is_demo`` and labelled on the pages; line ids and entry numbers start with DEMO/DMO.

Once the run is screened (after the commit; at once without a broker), the demo targeting analyst
judges its hits (two true matches) and a made-up list ``demo-made-up`` is loaded, naming one
more of the run's companies: the kept lines are re-screened against that entry alone, and the
new hit is judged a false positive — so the judgements and re-screening pages have something
to show. With a broker the run is still queued when this runs; the follow-up then does nothing.

Run by ``withhold load-demo`` after the demo orders (found through ``DEMO_LOADERS``).
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from withhold.accounts.models import User
from withhold.orders.models import ACTIVE_STATUSES, ScopeRule

from . import services
from .models import HitJudgement, ScreeningRun

DEMO_LIST = "demo-made-up"
DEMO_LIST_CSV = "name,country,source\nDEMO Knitwear Ltd,VN,Made-up demo entry: not a real listing\n"

HEADER = (
    "line_id,entry_number,entry_date,importer_name,manufacturer_name,manufacturer_address,"
    "shipper_name,country_of_origin,hts_code,description,vessel_name"
)


@transaction.atomic
def screening_demo_load(*, stdout=None) -> dict:
    if ScreeningRun.objects.filter(is_demo=True).exists():
        return {"screening_runs": 0}
    targeter = User.objects.filter(is_demo=True, username="targeter").first()
    if targeter is None:
        return {"screening_runs": 0}
    rule = (
        ScopeRule.objects.filter(
            kind=ScopeRule.Kind.ENTITY, order__is_demo=True, order__status__in=ACTIVE_STATUSES
        )
        .select_related("entity", "order")
        .first()
    )
    day = timezone.localdate().isoformat()
    ordered = rule.entity.name.upper().replace(",", "").replace(".", "") if rule else "DEMO MAKER"
    country = (rule.entity.country or rule.order.country) if rule else "CN"
    lines = [
        HEADER,
        f"DEMO-1,DMO-0100001-1,{day},DEMO Importers Inc.,{ordered},,,{country or 'CN'},6205200000,"
        "DEMO shirts,",
        f"DEMO-2,DMO-0100002-2,{day},DEMO Importers Inc.,Hotan Haolin Hair Accessories Co Ltd,"
        "Hotan Xinjiang,,CN,6704200000,DEMO wigs,",
        f"DEMO-3,DMO-0100003-3,{day},DEMO Importers Inc.,DEMO Seafood Processing,Pyongyang,,CN,"
        "0306170020,DEMO frozen shrimp,",
        f"DEMO-4,DMO-0100004-4,{day},DEMO Importers Inc.,DEMO Knitwear Ltd,Hanoi,,VN,6110,"
        "DEMO sweaters,",
        f"DEMO-5,DMO-0100005-5,{day},DEMO Importers Inc.,DEMO Footwear Co,,,XX,6403,DEMO shoes,",
    ]
    upload = SimpleUploadedFile(
        "demo-entry-lines.csv", "\n".join(lines).encode(), content_type="text/csv"
    )
    run = services.screening_run_create(actor=targeter, upload=upload, is_demo=True)
    transaction.on_commit(lambda: screening_demo_follow_up(run_id=run.pk, actor=targeter))
    if stdout is not None:
        stdout.write("Queued 1 made-up demo screening run.\n")
    return {"screening_runs": 1}


def screening_demo_follow_up(*, run_id: int, actor: User) -> None:
    """Judge the demo run's hits and load the made-up list that causes a re-screening."""
    run = ScreeningRun.objects.get(pk=run_id)
    if run.status != ScreeningRun.Status.DONE:
        return
    notes = {
        "order": "DEMO judgement: the line names the order's entity and its country.",
        "caatsa": "DEMO judgement: the address is in North Korea.",
    }
    for hit in run.hits.filter(hit_kind__in=list(notes)):
        services.hit_judge(
            actor=actor,
            hit=hit,
            verdict=HitJudgement.Verdict.TRUE_MATCH,
            note=notes[hit.hit_kind],
        )
    services.entity_list_load(
        actor=actor, source=DEMO_LIST, file_name="demo-made-up.csv", data=DEMO_LIST_CSV.encode()
    )
    # The re-screening runs once the load is committed; judge its hit after it.
    transaction.on_commit(lambda: _judge_demo_rescreen(actor))


def _judge_demo_rescreen(actor: User) -> None:
    rescreen = ScreeningRun.objects.exclude(trigger="").filter(is_demo=True).first()
    for hit in rescreen.hits.all() if rescreen else []:
        services.hit_judge(
            actor=actor,
            hit=hit,
            verdict=HitJudgement.Verdict.FALSE_POSITIVE,
            note="DEMO judgement: a different knitwear maker of the same name, in another city.",
        )


DEMO_LOADERS = [screening_demo_load]
