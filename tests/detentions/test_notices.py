"""What the importer's users are told of their detention (notice list and e-mail): the detention,
a request for information and the decision, in the words the importer may read — never the CEE
reviewer's recommendation or reasons, never another importer's detention."""

import pytest
from django.core import mail

from withhold.detentions import services
from withhold.notices.models import Kind, Notice

from .conftest import proof_files
from .test_lifecycle import IN_TIME

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def test_the_importer_is_told_each_step_it_may_see(
    record, wro, acme_user, globex_user, port_officer, make_user, client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    reviewer = make_user("port_officer", username="cee-reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        detention = record([wro])
        services.detention_proof_submit(
            detention=detention, actor=acme_user, documents=proof_files(), today=IN_TIME
        )
        services.detention_review_start(detention=detention, actor=reviewer, today=IN_TIME)
        services.detention_information_request(
            detention=detention, actor=reviewer, message="Send the spinning mill's audit."
        )
        services.detention_recommend(
            detention=detention,
            actor=reviewer,
            recommendation="exclude",
            reason="INTERNAL-CEE-REASONING about the mill.",
        )
        services.detention_exclude(
            detention=detention, actor=port_officer, on=IN_TIME, reason="Proof not sufficient."
        )
    kinds = list(
        Notice.objects.filter(recipient=acme_user).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [
        Kind.DETENTION_RECORDED,
        Kind.DETENTION_INFORMATION_REQUESTED,
        Kind.DETENTION_DECIDED,
    ]
    assert not Notice.objects.filter(recipient=globex_user).exists()
    assert [m.to for m in mail.outbox] == [[acme_user.email]] * 3
    assert "spinning mill's audit" in mail.outbox[1].body
    assert "Proof not sufficient." in mail.outbox[2].body
    assert "excluded" in mail.outbox[2].subject.lower()
    texts = " ".join(f"{m.subject} {m.body}" for m in mail.outbox)
    assert "INTERNAL-CEE-REASONING" not in texts and "cee-reviewer" not in texts

    client.force_login(acme_user)
    page = client.get("/notices/", **HOST).content.decode()
    assert "Proof not sufficient." in page and "INTERNAL-CEE-REASONING" not in page
    client.force_login(globex_user)
    assert "ABC-1234567-8" not in client.get("/notices/", **HOST).content.decode()
