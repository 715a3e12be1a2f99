"""What each role may do with detentions.

Merged with every other app's ``roles.py`` by ``withhold.accounts.roles.sync_role_groups``.
Port officers record detentions, import a port's file and dispose of shipments. The review of
proof by a Center of Excellence and Expertise (CEE) is the ``review_detention`` permission; the
port-officer role (labelled "Port officer (CEE)") holds it, so a CEE reviewer is a port-officer
user, and another group could be given it alone. Importers act only on their own company's
detentions: ``submit_proof`` plus an ``ImporterAccount`` tying the user to the company (checked
in ``selectors.detention_visible_queryset``). Supervisors tie importer users to companies.

The approving official holds, by delegation, the Commissioner's authority under UFLPA section
3(b) and (c): only that role grants or denies an exception to the UFLPA presumption
(``decide_uflpa_exception``) and sends the report of a granted exception to Congress. It reads
detentions to decide; the CEE's review and the officer's dispositions stay with port officers.
"""

from withhold.accounts.roles import Role

_READ = ["detentions.view_detention", "detentions.view_detention_statistics"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PORT_OFFICER: [
        *_READ,
        "detentions.add_detention",
        "detentions.review_detention",
        "detentions.dispose_detention",
        "detentions.import_detentions",
    ],
    Role.SUPERVISOR: [
        *_READ,
        "detentions.view_importeraccount",
        "detentions.add_importeraccount",
        "detentions.delete_importeraccount",
    ],
    Role.APPROVING_OFFICIAL: [*_READ, "detentions.decide_uflpa_exception"],
    Role.CASE_ANALYST: [*_READ],
    Role.TARGETING_ANALYST: [*_READ],
    Role.IMPORTER: ["detentions.submit_proof"],
}
