"""Role × screening page and API: who may see runs, judgements and lists, screen a file, load a
list, judge a hit, and turn a hit into a detention (the list version pages' own matrix is in
``test_list_versions.py``)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from withhold.accounts.roles import Role
from withhold.screening.models import EntityList, HitJudgement, ScreeningHit, ScreeningRun

pytestmark = pytest.mark.django_db

ROLES = ["intake_analyst", "case_analyst", "supervisor", "chief_counsel", "approving_official",
         "targeting_analyst", "port_officer", "hsi_liaison", "importer", "public_reader"]  # fmt: skip
SEE = {"targeting_analyst", "port_officer", "supervisor"}
SCREEN = {"targeting_analyst"}
JUDGE = {"targeting_analyst"}
DETAIN = {"port_officer"}

# The same policy as a table, for the access review's cross-check (tests/operations).
COLUMNS = [
    ("runs", "GET", "/screening/"),
    ("lists", "GET", "/screening/lists/"),
    ("judgements", "GET", "/screening/judgements/"),
    ("list entries", "GET", "/screening/lists/{source}/"),
    ("list versions", "GET", "/screening/lists/{source}/versions/"),
    ("list version", "GET", "/screening/lists/{source}/versions/{version_number}/"),
    (
        "list version entry",
        "GET",
        "/screening/lists/{source}/versions/{version_number}/entries/{entry_number}/",
    ),
    ("list diff", "GET", "/screening/lists/{source}/diff/"),
]
ROLE_OF_FIXTURE = {"public_reader": Role.PUBLIC}
MATRIX = {
    ROLE_OF_FIXTURE.get(role) or Role(role): [200 if role in SEE else 403] * len(COLUMNS)
    for role in ROLES
}


@pytest.fixture
def hit(targeting_analyst):
    run = ScreeningRun.objects.create(
        original_name="x.csv", content_type="text/csv", size=1, sha256="0" * 64,
        status="done", created_by=targeting_analyst,
    )  # fmt: skip
    return ScreeningHit.objects.create(
        run=run, position=1, row_number=2, line_id="1", hit_kind="caatsa", hit_ref="CAATSA 302A",
        manufacturer_name="Pyongyang Garment Factory",
        hit_name="North Korea", score=100, action="detain", reasons="country of origin KP",
    )  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(request, role, client, hit):
    client.force_login(request.getfixturevalue(role))
    expected = 200 if role in SEE else 403
    assert client.get(reverse("screening:runs")).status_code == expected
    assert client.get(reverse("screening:run", args=[hit.run_id])).status_code == expected
    assert client.get(reverse("screening:progress", args=[hit.run_id])).status_code == expected
    assert client.get(reverse("screening:lists")).status_code == expected
    detain = client.get(reverse("screening:hit_detention", args=[hit.pk])).status_code
    assert detain == (200 if role in DETAIN else 403)
    post = client.post(
        reverse("screening:runs"),
        {"file": SimpleUploadedFile("x.csv", b"line_id,manufacturer_name\n1,A\n")},
    )
    assert (post.status_code != 403) == (role in SCREEN)
    load = client.post(
        reverse("screening:lists"),
        {"source": "s", "file": SimpleUploadedFile("l.csv", b"name\nA\n")},
    )
    assert (load.status_code != 403) == (role in SCREEN)
    assert client.get(reverse("screening:judgements")).status_code == expected
    entity_list = EntityList.objects.first()
    if entity_list is None:
        entity_list = EntityList.objects.create(source="matrix", file_name="m.csv", sha256="0")
    assert client.get(reverse("screening:list", args=[entity_list.source])).status_code == expected
    judge = client.post(
        reverse("screening:hit_judge", args=[hit.pk]),
        {"verdict": "false_positive", "note": "Checked."},
    )
    assert judge.status_code == (302 if role in JUDGE else 403)
    assert HitJudgement.objects.exists() == (role in JUDGE)


@pytest.mark.parametrize("role", ROLES)
def test_api_role_matrix(request, role, client, hit):
    client.force_login(request.getfixturevalue(role))
    listed = client.get(reverse("api:screening-judgements"))
    assert listed.status_code == (200 if role in SEE else 403)
    judged = client.post(
        reverse("api:screening-hit-judgement", args=[hit.pk]),
        {"verdict": "true_match", "note": "Same maker."},
        content_type="application/json",
    )
    assert judged.status_code == (201 if role in JUDGE else 403)


def test_anonymous_users_are_sent_to_sign_in(client, hit):
    response = client.get(reverse("screening:run", args=[hit.run_id]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_missing_run_is_404(client, targeting_analyst):
    client.force_login(targeting_analyst)
    assert client.get(reverse("screening:run", args=[999])).status_code == 404
