"""Who may see what: the one need-to-know policy, declared as data.

``POLICY`` names every sensitive field and relation, the permission that lets a reader see it and
what everyone else gets instead. Pages, API serializers, exports, PDFs, e-mails, counts, graphs
and search results ask this module — ``can_see(user, key)`` for a field, ``visible(user, qs,
key)`` for the rows of a law-enforcement-sensitive relation — instead of testing permissions or
flags of their own, so a change of policy is one line here. The permissions themselves are
given to roles in each app's ``roles.py``; ``rule_roles`` lists the roles that hold each one, and
``docs/security.md`` prints the table (a test keeps the two equal).

A row without a permission (``perm=None``) is seen by nobody through the application.
"""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Rule:
    key: str
    what: str
    perm: str | None
    otherwise: str
    sensitive_flag: str = ""  # the boolean field that marks a row as sensitive, for ``visible``


_LES = "cases.view_sensitive_case"

RULES: tuple[Rule, ...] = (
    Rule(
        "case.law_enforcement_sensitive",
        "A law-enforcement-sensitive case: its number, title, facts, tasks and documents",
        _LES,
        "Answers 404 like a missing case; never named, linked, counted or e-mailed "
        "(allegation pages and lists, order pages and counts, reminders, task owners).",
        sensitive_flag="law_enforcement_sensitive",
    ),
    Rule(
        "evidence.law_enforcement_sensitive",
        "A law-enforcement-sensitive evidence item: its text, file, id, kind, date and source",
        _LES,
        "Left out of evidence lists, supply links (a link known only from such items is left "
        "out whole), the supply-chain graph and its counts, the case's evidence sources, the "
        "indicator matrix and the allegation report.",
        sensitive_flag="law_enforcement_sensitive",
    ),
    Rule(
        "document.law_enforcement_sensitive",
        "A case document generated from law-enforcement-sensitive material (the allegation "
        "report of an LES case or one built with LES evidence)",
        _LES,
        "Not listed and 404 on download.",
        sensitive_flag="law_enforcement_sensitive",
    ),
    Rule(
        "order.internal_notes",
        "An order's internal notes",
        "orders.view_order_internals",
        "Left out of the order page and the order API.",
    ),
    Rule(
        "order.opinion_summary",
        "Counsel's legal-sufficiency opinion summary on an order",
        "orders.view_order_internals",
        "The opinion is listed (date, standard, author) without its summary.",
    ),
    Rule(
        "allegation.submitter_identity",
        "An allegation submitter's name, e-mail address and telephone number",
        "intake.view_submitter_identity",
        "Shown as “withheld”; a reader may ask for it with a reason, and once a supervisor "
        "grants the request that reader sees it, each reading audited.",
    ),
    Rule(
        "detention.cee_recommendation",
        "The CEE reviewer's recommendation and reasoning on a detention",
        "detentions.view_detention",
        "Importers see their detention's status, not the recommendation (detentions app "
        "allow-list).",
    ),
    Rule(
        "file.storage_name",
        "The name a file is stored under (server path)",
        None,
        "Pages, API and exports show the checked original name only.",
    ),
)

POLICY: dict[str, Rule] = {rule.key: rule for rule in RULES}

# What a reader without the right sees in place of a withheld value.
WITHHELD = "withheld"


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_see(user, key: str) -> bool:
    """Whether ``user`` may see what ``key`` names (a ``POLICY`` key; an unknown key is an
    error, so a typo never opens anything)."""
    rule = POLICY[key]
    if rule.perm is None or not _active(user):
        return False
    return user.has_perm(rule.perm)


def visible(user, qs: QuerySet, key: str, *, prefix: str = "") -> QuerySet:
    """``qs`` without the rows ``key`` marks as sensitive, unless ``user`` may see them.
    ``prefix`` reaches the flag through a relation (``"evidence__"`` on supply links)."""
    rule = POLICY[key]
    if not rule.sensitive_flag:
        raise ValueError(f"{key} does not mark rows; use can_see.")
    if can_see(user, key):
        return qs
    return qs.filter(**{f"{prefix}{rule.sensitive_flag}": False})


def rule_roles(key: str) -> list[str]:
    """The labels of the roles whose permissions include the rule's, in ``Role`` order."""
    from .roles import Role, role_permissions

    perm = POLICY[key].perm
    if perm is None:
        return []
    merged = role_permissions()
    return [Role(role).label for role in Role if perm in merged.get(role, [])]


def policy_table_markdown() -> str:
    """The policy as the Markdown table of ``docs/security.md``."""
    lines = [
        "| key | what | seen by | everyone else |",
        "| --- | --- | --- | --- |",
    ]
    for rule in RULES:
        roles = ", ".join(rule_roles(rule.key)) or "nobody"
        lines.append(f"| `{rule.key}` | {rule.what} | {roles} | {rule.otherwise} |")
    return "\n".join(lines)
