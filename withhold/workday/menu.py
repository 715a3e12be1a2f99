"""The primary menu, as data: each entry names the page and the permissions its view checks.

``menu_for(user)`` gives the entries the user may open, and the base template draws exactly
those, so the menu never offers a page that answers 403. The permissions here are the ones the
views require (``require_page_perm`` or their access function); ``tests/workday`` signs in as
every role and requests every entry it is shown, so a view that grows a new check and a menu
entry that forgot it cannot drift apart unnoticed.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    url_name: str
    # The user needs at least one of these; empty means every signed-in user.
    any_perm: tuple[str, ...] = ()
    # Namespaces (or ``namespace:url_name``) that mark the entry as the current section.
    current: tuple[str, ...] = ()
    # A key of ``SUBMENUS``: drawn in that submenu of the primary row, where its first entry
    # falls; "management": the Management submenu after the row; "tail": after that
    group: str = ""

    def allowed(self, user) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return not self.any_perm or any(user.has_perm(p) for p in self.any_perm)

    def url(self) -> str:
        return reverse(self.url_name)

    def is_current(self, match) -> bool:
        if match is None:
            return False
        return match.view_name in self.current or match.namespace in self.current


# Submenus of the primary row: group -> label.
SUBMENUS = {"screening": _("Screening")}

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("home", _("Home"), "workday:home", current=("workday:home",)),
    MenuEntry(
        "my_work",
        _("My tasks"),
        "cases:my_work",
        ("cases.view_case", "cases.view_hsi_case"),
        current=("cases:my_work",),
    ),
    MenuEntry(
        "cases",
        _("Cases"),
        "cases:list",
        ("cases.view_case", "cases.view_hsi_case"),
        current=("cases:list", "cases:detail", "cases:create"),
    ),
    MenuEntry(
        "allegations",
        _("Allegations"),
        "intake:queue",
        ("intake.view_allegation",),
        current=("intake",),
    ),
    MenuEntry("entities", _("Entities"), "entities:list", ("entities.view_entity",), ("entities",)),
    MenuEntry(
        "orders",
        _("Orders"),
        "orders:list",
        ("orders.view_order",),
        ("orders:list", "orders:detail", "orders:create", "orders:reviews_overdue"),
    ),
    MenuEntry(
        "petitions",
        _("Petitions"),
        "orders:petition_list",
        ("orders.view_petition", "orders.add_petition"),
        current=("orders:petition_list", "orders:petition_detail"),
    ),
    MenuEntry(
        "detentions",
        _("Detentions"),
        "detentions:list",
        ("detentions.view_detention", "detentions.submit_proof"),
        ("detentions",),
    ),
    MenuEntry(
        "screening",
        _("Screening runs"),
        "screening:runs",
        ("screening.view_screeningrun",),
        ("screening:runs", "screening:run"),
        group="screening",
    ),
    MenuEntry(
        "judgements",
        _("Judgements of hits"),
        "screening:judgements",
        ("screening.view_hitjudgement",),
        ("screening:judgements",),
        group="screening",
    ),
    MenuEntry(
        "entity_lists",
        _("Entity lists"),
        "screening:lists",
        ("screening.view_entitylist",),
        ("screening:lists", "screening:list"),
        group="screening",
    ),
    MenuEntry(
        "kpis",
        _("Performance (KPIs)"),
        "performance:dashboard",
        ("performance.view_kpis",),
        ("performance",),
        group="management",
    ),
    MenuEntry(
        "outreach",
        _("Outreach log"),
        "performance:outreach_list",
        ("performance.view_outreachactivity",),
        group="management",
    ),
    MenuEntry(
        "quality",
        _("Data quality"),
        "quality:report",
        ("quality.view_quality_report",),
        ("quality",),
        group="management",
    ),
    MenuEntry(
        "workforce",
        _("Workforce"),
        "workforce:assessment",
        ("workforce.view_workforce_assessment",),
        ("workforce",),
        group="management",
    ),
    MenuEntry(
        "register",
        _("Public register"),
        "orders:register",
        current=("orders:register", "orders:register_detail"),
        group="tail",
    ),
    MenuEntry(
        "uflpa_statistics",
        _("UFLPA statistics"),
        "uflpa_statistics:statistics",
        current=("uflpa_statistics",),
        group="tail",
    ),
    MenuEntry("api", _("API"), "api-docs", current=("api-docs",), group="tail"),
)


def menu_for(user) -> list[MenuEntry]:
    """The entries ``user`` may open, in menu order. A user who may read only their own skills
    (and not the workforce assessment) gets that page in its place."""
    entries = [entry for entry in MENU if entry.allowed(user)]
    if not any(e.key == "workforce" for e in entries) and user.has_perm(
        "workforce.view_own_skills"
    ):
        entries.append(
            MenuEntry(
                "own_skills",
                _("My skills and training"),
                "workforce:staff_competency_list",
                ("workforce.view_own_skills",),
                ("workforce",),
                group="management",
            )
        )
    return entries
