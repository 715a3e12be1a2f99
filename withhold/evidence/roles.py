"""What each role may do with evidence, supply links, trade data and the allegation report.

Merged with every other app's ``roles.py`` by ``withhold.accounts.roles.sync_role_groups``.
Analysts and supervisors work the evidence; counsel and the approving official read it to judge
legal sufficiency (GAO-21-106 phase 3); HSI and targeters read it for their own work.
"""

from withhold.accounts.roles import Role

_READ = ["evidence.view_evidenceitem", "evidence.view_supplylink", "evidence.view_tradeupload"]
_WORK = [
    *_READ,
    "evidence.add_evidenceitem",
    "evidence.delete_evidenceitem",
    "evidence.add_supplylink",
    "evidence.delete_supplylink",
    "evidence.add_tradeupload",
    "evidence.merge_entities",
    "evidence.generate_allegation_report",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CASE_ANALYST: _WORK,
    Role.SUPERVISOR: _WORK,
    Role.INTAKE_ANALYST: _READ,
    Role.CHIEF_COUNSEL: _READ,
    Role.APPROVING_OFFICIAL: _READ,
    Role.TARGETING_ANALYST: _READ,
    Role.HSI_LIAISON: _READ,
}
