import io

import pytest
from django.core.management import call_command

from withhold.accounts.models import User
from withhold.screening.models import ScreeningRun

pytestmark = pytest.mark.django_db


def test_load_demo_adds_a_labelled_demo_run_with_hits(client, django_capture_on_commit_callbacks):
    call_command("load_reference", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):  # the run starts once committed
        call_command("load_demo", stdout=io.StringIO())
        call_command("load_demo", stdout=io.StringIO())  # twice: nothing doubled
    run = ScreeningRun.objects.get(is_demo=True, trigger="")
    assert run.status == "done"
    kinds = set(run.hits.values_list("line_id", "hit_kind"))
    assert {("DEMO-1", "order"), ("DEMO-2", "list"), ("DEMO-3", "caatsa")} <= kinds
    assert run.summary["errors"] == 1  # the made-up XX country
    client.force_login(User.objects.get(username="targeter"))
    page = client.get(f"/screening/runs/{run.pk}/", HTTP_HOST="127.0.0.1").content.decode()
    assert "Made-up entry lines from the demo data set." in page


def test_the_demo_shows_judgements_and_a_rescreening(client, django_capture_on_commit_callbacks):
    call_command("load_reference", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    _assert_demo_judged_and_rescreened(client)


def _assert_demo_judged_and_rescreened(client) -> None:
    from withhold.screening.models import HitJudgement

    rescreen = ScreeningRun.objects.exclude(trigger="").get()
    assert rescreen.is_demo and "demo-made-up" in rescreen.trigger
    assert list(rescreen.hits.values_list("line_id", "hit_ref")) == [("DEMO-4", "demo-made-up #1")]
    verdicts = set(HitJudgement.objects.values_list("hit_kind", "verdict"))
    assert verdicts == {
        ("caatsa", "true_match"),
        ("list", "false_positive"),
        ("order", "true_match"),
    }
    client.force_login(User.objects.get(username="targeter"))
    page = client.get("/screening/judgements/", HTTP_HOST="127.0.0.1").content.decode()
    assert f"{HitJudgement.objects.count()} judgements" in page and "DEMO judgement" in page
