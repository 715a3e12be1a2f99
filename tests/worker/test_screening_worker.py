"""A large screening file split into chunks screened on a real Celery worker and merged in the
order of the file (see ``test_real_worker.py`` for when this runs)."""

import time

import pytest
from django.core.files.base import ContentFile

from ..factories import EntityFactory, UserFactory
from .test_real_worker import BROKER, worker  # noqa: F401 - fixture

START_TASK = "withhold.screening.tasks.screening_run_start"
pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not BROKER, reason="WITHHOLD_TEST_BROKER is not set (no Redis for a real worker)"
    ),
]


@pytest.fixture
def chunked(monkeypatch, settings):
    """The worker reads the run's file from the test's media folder, in chunks of two lines."""
    monkeypatch.setenv("WITHHOLD_SCREENING_CHUNK_LINES", "2")
    monkeypatch.setenv("WITHHOLD_MEDIA_ROOT", str(settings.MEDIA_ROOT))


def test_a_file_is_screened_in_chunks_and_merged_in_order(chunked, worker):  # noqa: F811
    from withhold.accounts.roles import Role
    from withhold.orders.models import Order, ScopeRule
    from withhold.screening.models import ScreeningRun

    order = Order.objects.create(
        number="WRO-2026-0777", kind="wro", status="issued", merchandise="Garments",
        country="CN", issued_on="2026-01-05",
    )  # fmt: skip
    taida = EntityFactory(name="Worker Taida Apparel Co., Ltd.", country="CN")
    ScopeRule.objects.create(order=order, kind=ScopeRule.Kind.ENTITY, entity=taida)
    analyst = UserFactory(username="worker-analyst", role=Role.TARGETING_ANALYST)
    lines = ["line_id,manufacturer_name,country_of_origin"]
    lines += [
        f"{n},{'WORKER TAIDA APPAREL CO LTD' if n % 2 else 'Unlisted Maker'},"
        f"{'KP' if n == 6 else 'CN'}"
        for n in range(1, 8)
    ]
    lines.append("8,Bad Country Maker,ZZ")
    run = ScreeningRun(original_name="big.csv", content_type="text/csv", size=1,
                       sha256="0" * 64, created_by=analyst)  # fmt: skip
    run.file.save("big.csv", ContentFile("\n".join(lines).encode()), save=True)

    client, _mail = worker
    client.send_task(START_TASK, args=[run.pk]).get(timeout=60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            break
        time.sleep(0.2)
    assert run.status == "done", run.failure
    assert list(run.hits.values_list("position", "line_id", "hit_kind")) == [
        (1, "1", "order"), (2, "3", "order"), (3, "5", "order"), (4, "6", "caatsa"),
        (5, "7", "order"),
    ]  # fmt: skip
    assert run.summary == {
        "lines": 7, "lines_with_hits": 5, "hits": {"order": 4, "list": 0, "caatsa": 1},
        "hits_total": 5, "errors": 1,
    }  # fmt: skip
    assert run.row_errors[0]["row"] == 9
    assert run.done_lines == run.total_lines == 8
