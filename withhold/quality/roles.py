"""Who may see the data-quality report and run legacy imports.

Merged with every other app's ``roles.py`` by ``withhold.accounts.roles.sync_role_groups``.
Supervisors answer for the division's data (GAO-21-106 recommendation 2): they see the report for
every case they may see, save snapshots, import legacy spreadsheets and clear the "needs review"
flags. Case analysts see the same report restricted to the cases assigned to them
(``view_quality_report`` without ``view_all_quality``), so each can fix their own entries; they
cannot import or clear flags. Law-enforcement-sensitive cases stay hidden from anyone who may not
see them (``cases.selectors.case_visible_queryset``). Other roles have no part in it.
"""

from withhold.accounts.roles import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CASE_ANALYST: ["quality.view_quality_report"],
    Role.SUPERVISOR: [
        "quality.view_quality_report",
        "quality.view_all_quality",
        "quality.add_qualitysnapshot",
        "quality.view_qualitysnapshot",
        "quality.import_legacy",
        "quality.review_legacy",
        "quality.view_legacyimportrun",
        "quality.view_legacyrecord",
    ],
}
