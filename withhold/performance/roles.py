"""Who may read the key performance indicators, set their targets, and keep the outreach log.

Merged with every other app's ``roles.py`` by ``withhold.accounts.roles.sync_role_groups``.

* Supervisors (division managers) read the KPIs, set targets and entered baselines, and keep
  the outreach log; only they may delete an entry recorded in error. GAO-21-106 asks management
  to set and monitor the targets.
* Approving officials read the KPIs and the outreach log, read-only: they answer for the
  division's results but do not set its targets.
* Case analysts read the KPIs (read-only) and record the outreach they do.
* No other role reads KPIs; importers and the public never do.

A figure counts only the records the reader may see (``selectors.kpi_sources_for_user``): a
law-enforcement-sensitive case never counts for a reader who may not see it, and an indicator
whose records the role cannot see at all is shown as not available.
"""

from withhold.accounts.roles import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SUPERVISOR: [
        "performance.view_kpis",
        "performance.set_kpi_target",
        "performance.view_kpitarget",
        "performance.view_outreachactivity",
        "performance.add_outreachactivity",
        "performance.change_outreachactivity",
        "performance.delete_outreachactivity",
    ],
    Role.APPROVING_OFFICIAL: [
        "performance.view_kpis",
        "performance.view_kpitarget",
        "performance.view_outreachactivity",
    ],
    Role.CASE_ANALYST: [
        "performance.view_kpis",
        "performance.view_kpitarget",
        "performance.view_outreachactivity",
        "performance.add_outreachactivity",
        "performance.change_outreachactivity",
    ],
}
