"""Role × order page → allowed or refused, enforced by the server.

200 = allowed, 403 = refused, 302 = sent to sign in. The public register needs no sign-in.
"""

import pytest

from withhold.accounts.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

COLUMNS = [
    ("register", "/register/"),
    ("register_detail", "/register/{issued}/"),
    ("list", "/orders/"),
    ("create", "/orders/new/"),
    ("detail", "/orders/{issued}/"),
    ("opinion", "/orders/{review}/opinion/"),
    ("decide", "/orders/{review}/decision/"),
    ("issue", "/orders/{review}/issue/"),
    ("modify", "/orders/{issued}/modify/"),
    ("review", "/orders/{issued}/review/"),
    ("overdue", "/orders/reviews-due/"),
    ("petitions", "/petitions/"),
    ("petition_new", "/petitions/new/{issued}/"),
]

#                         reg  regd list new  det  opin dec  iss  mod  rev  over pets pnew
MATRIX = {
    None:                   [200, 200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302],
    Role.INTAKE_ANALYST:    [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.CASE_ANALYST:      [200, 200, 200, 200, 200, 403, 403, 403, 403, 200, 403, 200, 403],
    Role.SUPERVISOR:        [200, 200, 200, 200, 200, 403, 403, 403, 200, 200, 200, 200, 403],
    Role.CHIEF_COUNSEL:     [200, 200, 200, 403, 200, 200, 403, 403, 403, 403, 403, 200, 403],
    Role.APPROVING_OFFICIAL:[200, 200, 200, 403, 200, 403, 200, 200, 403, 403, 403, 200, 403],
    Role.TARGETING_ANALYST: [200, 200, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.PORT_OFFICER:      [200, 200, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.HSI_LIAISON:       [200, 200, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    Role.IMPORTER:          [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200],
    Role.PUBLIC:            [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
}  # fmt: skip


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: r or "anonymous")
def test_order_pages_by_role(role, issued, in_legal_review_other, client):
    if role is not None:
        client.force_login(UserFactory(role=role, username=f"matrix-{role}"))
    got = []
    for _name, template in COLUMNS:
        url = template.format(issued=issued.number, review=in_legal_review_other.number)
        got.append(client.get(url, **HOST).status_code)
    assert dict(zip([c[0] for c in COLUMNS], got, strict=True)) == dict(
        zip([c[0] for c in COLUMNS], MATRIX[role], strict=True)
    )


@pytest.fixture
def in_legal_review_other(issued, supervisor):
    """A second order, in legal review, on the same (now implementation) case."""
    from withhold.orders import services

    order = services.order_create(
        actor=supervisor, kind="wro", merchandise="Yarn", cases=[issued.cases.get()]
    )
    services.scope_rule_add(
        order=order, actor=supervisor, kind="country_commodity", country="CN", merchandise="Yarn"
    )
    return services.order_submit(order=order, actor=supervisor)
