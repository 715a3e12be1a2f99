"""What each role may do with orders, scope rules, legal review, petitions and reviews.

Merged with every other app's ``roles.py`` by ``withhold.accounts.roles.sync_role_groups``. The
public register needs no permission: anyone, signed in or not, may read it. Counsel writes the
legal opinion and cannot decide; the approving official decides and issues and cannot write the
opinion (19 CFR 12.42(e)/(f); GAO-21-106 phase 3). An order's internal notes and counsel's
opinion summaries are law-enforcement-sensitive: only the roles that draft, review and decide
orders see them (``view_order_internals``, applied through ``accounts.visibility``); targeting
analysts, port officers and HSI liaisons read the rest of the order.
"""

from withhold.accounts.roles import Role

_READ = ["orders.view_order"]
_INTERNALS = ["orders.view_order_internals"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CASE_ANALYST: [
        *_READ,
        *_INTERNALS,
        "orders.add_order",
        "orders.change_order",
        "orders.record_review",
        "orders.view_petition",
        "orders.change_petition",
    ],
    Role.SUPERVISOR: [
        *_READ,
        *_INTERNALS,
        "orders.add_order",
        "orders.change_order",
        "orders.modify_order",
        "orders.record_review",
        "orders.view_overdue_reviews",
        "orders.view_petition",
        "orders.change_petition",
        "orders.decide_petition",
    ],
    Role.CHIEF_COUNSEL: [
        *_READ,
        *_INTERNALS,
        "orders.record_legal_opinion",
        "orders.view_petition",
    ],
    Role.APPROVING_OFFICIAL: [
        *_READ,
        *_INTERNALS,
        "orders.decide_order",
        "orders.issue_order",
        "orders.view_petition",
    ],
    Role.TARGETING_ANALYST: [*_READ],
    Role.PORT_OFFICER: [*_READ],
    Role.HSI_LIAISON: [*_READ],
    Role.IMPORTER: ["orders.add_petition"],
}
