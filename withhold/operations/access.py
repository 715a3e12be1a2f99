"""The access review: every URL pattern and API operation, with who may use it.

Derived, not declared: ``access_matrix`` signs in as one user of every role (and as nobody),
requests every route with its path filled from the demo data, and records what the server
answered. Each request runs in a savepoint that is rolled back, so a probe that changes
something (a page reached by ``POST``) leaves nothing behind for the next one, and the whole
review runs inside a transaction the caller rolls back.

What a request tells:

- ``allowed``: a page or answer (2xx), a redirect other than to the sign-in page, or a 400 to an
  empty ``POST`` (the permission check passed; the body was refused);
- ``sign-in``: sent to the sign-in page, or a 401;
- ``refused``: 403; ``hidden``: 404 (the same answer as for a record that does not exist);
- ``error``: a 5xx.

A page answering 405 to ``GET`` is asked again with an empty ``POST``.

Declared: ``PUBLIC`` lists the routes meant for anybody, ``EVERY_USER`` those meant for every
signed-in user whatever the role. A route anonymous users reach that is not in ``PUBLIC``, or one
every role reaches that is in neither list, has no rule: the access-review test fails on it.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

# Routes open to anybody: the public intake, the public register (with the published reports
# of UFLPA exceptions), sign-in, the probes, the API schema and its viewers, the public UFLPA
# statistics, and the public API operations of intake, the register and the UFLPA statistics.
PUBLIC = {
    "accounts/login/",
    "accounts/logout/",
    "report/",
    "report/receipt/",
    "report/status/",
    "report/status/<str:receipt_number>/",
    "report/status/<str:receipt_number>/returns/<int:notice_id>/",
    "report/status/<str:receipt_number>/returns/<int:notice_id>/pdf/",
    "register/",
    "register/<str:number>/",
    "uflpa-statistics/",
    "healthz",
    "readyz",
    "api/schema/",
    "api/docs/",
    "api/redoc/",
    "api/allegations/",
    "api/register/",
    "api/uflpa-statistics/",
    "uflpa-exceptions/",
    "uflpa-exceptions/<str:number>/",
    "uflpa-exceptions/<str:number>/pdf/",
}
# Routes meant for every signed-in user, whatever the role (each narrows what it shows).
EVERY_USER = {
    "",
    "cases/my-work/",
    "cases/tasks/<int:task_id>/complete/",
    "api/tasks/",
    "api/tasks/<int:task_id>/complete/",
    "cases/regions/",
    "petitions/",
    "petitions/new/<str:number>/",
    "petitions/<int:petition_id>/",
    "api/orders/<str:number>/",
    "deadlines/",
    "notices/",
    "notices/read/",
    "notices/<int:notice_id>/read/",
}

SKIPPED_PREFIXES = ("admin/", "static/", "media/")


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    view: Callable

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def routes() -> list[Route]:
    """Every URL pattern of the site but the admin's, in URLconf order."""

    def walk(patterns, prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if not text.startswith(SKIPPED_PREFIXES):
                    yield from walk(pattern.url_patterns, text, inner)
            elif isinstance(pattern, URLPattern) and not text.startswith(SKIPPED_PREFIXES):
                name = f"{namespace}{pattern.name}" if pattern.name else ""
                yield Route(text, name, pattern.callback)

    seen: set[str] = set()
    unique = []
    for route in walk(get_resolver().url_patterns, "", ""):
        if route.route not in seen:
            seen.add(route.route)
            unique.append(route)
    return unique


def _methods(route: Route) -> list[str]:
    view_class = getattr(route.view, "view_class", None) or getattr(route.view, "cls", None)
    if view_class is None:
        return ["GET"]
    methods = [
        m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)
    ]
    return methods or ["GET"]


def review_values() -> dict[str, str]:
    """Path values from the demo data: one case, order, entity, detention, allegation..."""
    from withhold.cases.models import Case, CaseEntity, Task
    from withhold.detentions.models import CongressReport, Detention, DetentionEvent, UflpaRequest
    from withhold.entities.models import Entity
    from withhold.evidence.models import EvidenceItem, SupplyLink
    from withhold.intake.models import Allegation
    from withhold.orders.models import LegalOpinion, Order, Petition

    def first(model, attribute="pk", **filters):
        row = model.objects.filter(**filters).order_by("pk").first()
        return str(getattr(row, attribute)) if row else "0"

    return {
        "case": first(Case, "number"),
        "order": first(Order, "number"),
        "entity": first(Entity),
        "evidence": first(EvidenceItem),
        "detention": first(Detention),
        "receipt": first(Allegation, "receipt_number"),
        "task": first(Task),
        "opinion": first(LegalOpinion),
        "petition": first(Petition),
        "supply_link": first(SupplyLink),
        "case_entity": first(CaseEntity),
        "uflpa_detention": first(Detention, uflpa_requests__isnull=False),
        "exception_detention": first(Detention, "pk", uflpa_requests__path="exception"),
        "exception_request": first(UflpaRequest, path="exception"),
        "information_request": first(DetentionEvent, kind="information_requested"),
        "information_detention": first(
            Detention, events__kind="information_requested", uflpa_requests__isnull=False
        ),
        "congress_report": first(CongressReport),
        "report_number": first(CongressReport, "number", state="sent"),
    }


def fill(route: str, values: dict[str, str]) -> str:
    """The route with each ``<converter:name>`` replaced by a value that exists ("0", which
    matches nothing, for a value not given)."""
    import re
    from collections import defaultdict

    values = defaultdict(lambda: "0", values)

    def value(match: re.Match) -> str:
        name = match.group(2)
        if name == "number" and route.startswith("uflpa-exceptions/"):
            return values["report_number"]
        if name == "path":
            return "applicability"
        if name == "detention_id" and ("/exception/" in route or "uflpa-requests/" in route):
            return values["exception_detention"]
        if name == "detention_id" and ("information" in route or "/uflpa/" in route):
            return values["information_detention"]
        if name == "number":
            order_like = route.startswith(("orders/", "register/", "petitions/", "api/orders/"))
            return values["order"] if order_like else values["case"]
        if name == "pk":
            return values["evidence"] if route.startswith("evidence/") else values["entity"]
        if name == "link_id":
            return values["supply_link"] if "supply-links" in route else values["case_entity"]
        return {
            "entity_id": values["entity"],
            "item_id": values["evidence"],
            "detention_id": values["detention"],
            "receipt_number": values["receipt"],
            "task_id": values["task"],
            "opinion_id": values["opinion"],
            "petition_id": values["petition"],
            "request_id": values["exception_request"],
            "event_id": values["information_request"],
            "report_id": values["congress_report"],
        }.get(name, "0")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def classify(response, method: str) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status == 401:
        return "sign-in"
    if status in (301, 302, 303) and "/accounts/login/" in response.get("Location", ""):
        return "sign-in"
    if status == 403:
        return "refused"
    if status == 404:
        return "hidden"
    if status == 405:
        return "n/a"
    if status in (400, 429) and method != "GET":
        return "allowed"
    if status < 400:
        return "allowed"
    return f"status {status}"


def access_matrix(*, make_client: Callable[[object | None], object], principals: dict) -> dict:
    """``{route: {"methods": [...], "name": ..., "access": {principal: outcome}}}``.

    ``principals`` maps a label ("anonymous", each role's value) to a user or None;
    ``make_client(user)`` returns a Django test ``Client`` signed in as that user."""
    values = review_values()
    clients = {label: make_client(user) for label, user in principals.items()}
    # Each client's cookies as signed in: restored after every request, so a probe that signs
    # out (POST /accounts/logout/) does not sign out the probes after it.
    cookies = {label: client.cookies.output() for label, client in clients.items()}
    matrix = {}
    for route in routes():
        path = fill(route.route, values)
        methods = _methods(route)
        access = {}
        for label, client in clients.items():
            outcome = "n/a"
            for method in ["GET", "POST"] if "GET" in methods or not route.is_api else methods[:1]:
                if route.is_api and method not in methods:
                    continue
                with transaction.atomic():
                    response = client.generic(
                        method,
                        path,
                        data=b"" if method == "GET" else b"{}",
                        content_type="application/json" if route.is_api else "",
                        HTTP_HOST="127.0.0.1",
                        HTTP_ACCEPT="*/*",
                    )
                    transaction.set_rollback(True)
                client.cookies = SimpleCookie()
                client.cookies.load(
                    cookies[label].replace("Set-Cookie: ", "").replace("\r\n", "; ")
                )
                outcome = classify(response, method)
                if outcome != "n/a":
                    break
            access[label] = outcome
        matrix[route.route] = {"name": route.name, "methods": methods, "access": access}
    return matrix


SYMBOLS = {"allowed": "✓", "refused": "✗", "hidden": "✗ 404", "sign-in": "sign in", "n/a": "–"}


def render_markdown(matrix: dict, labels: dict[str, str]) -> str:
    header = "| route | URL name | " + " | ".join(labels.values()) + " |"
    lines = [
        "# Access review",
        "",
        "Generated by `make access-review` (`withhold access-review`); a test fails when it is not",
        "fresh, and when a route has no rule (see `withhold/operations/access.py`). Each cell is what",
        "the server answered to that role, signed in, requesting the route (pages with `GET`, or an",
        "empty `POST` where `GET` is not allowed; API operations with their first method) on the",
        "demo data: ✓ allowed, ✗ refused (403), ✗ 404 hidden (the answer for a record that does",
        "not exist), *sign in* sent to sign in, – not applicable.",
        "",
        header,
        "| --- | --- | " + " | ".join("---" for _ in labels) + " |",
    ]
    for route, row in matrix.items():
        cells = [SYMBOLS.get(row["access"][label], row["access"][label]) for label in labels]
        lines.append(f"| `/{route}` | {row['name']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def rule_problems(matrix: dict) -> list[str]:
    """Routes without a rule: reachable anonymously but not PUBLIC, or by every role but in
    neither PUBLIC nor EVERY_USER; and any route that answered a server error."""
    problems = []
    for route, row in matrix.items():
        access = row["access"]
        if "error" in access.values():
            problems.append(
                f"/{route}: server error for {[k for k, v in access.items() if v == 'error']}"
            )
        if access.get("anonymous") == "allowed" and route not in PUBLIC:
            problems.append(f"/{route}: anonymous users reach it but it is not declared PUBLIC")
        roles = [label for label in access if label != "anonymous"]
        if (
            roles
            and all(access[label] == "allowed" for label in roles)
            and route not in PUBLIC | EVERY_USER
        ):
            problems.append(f"/{route}: every role reaches it but it has no rule (EVERY_USER)")
    return problems
