"""Who may see and triage allegations (see ``withhold.accounts.roles``).

Allegation contents are sensitive (a submitter's identity, a worker's account): only the roles
that triage them read them all. Intake analysts and supervisors read every allegation and take
triage decisions. A case analyst reads only the allegations linked to cases they can see
(``view_linked_allegation``, applied in ``selectors.allegation_visible_queryset``), because the
report is the first evidence of the case they work; they cannot triage. No other role sees any
allegation.

A submitter's identity (name, e-mail address, telephone) is narrower still
(``accounts.visibility``, ``allegation.submitter_identity``): only intake analysts and
supervisors see it (``view_submitter_identity``). A case analyst sees "withheld" and may ask,
with a reason; a supervisor grants or refuses (``grant_identity_reveal``), and every reading under
a granted request is audited.
"""

from withhold.accounts.roles import Role

TRIAGE = [
    "intake.view_allegation",
    "intake.triage_allegation",
    "intake.view_allegationattachment",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.INTAKE_ANALYST: [*TRIAGE, "intake.view_submitter_identity"],
    # A supervisor alone sets and releases a litigation hold (it stops the retention erasure).
    Role.SUPERVISOR: [
        *TRIAGE,
        "intake.hold_allegation",
        "intake.view_submitter_identity",
        "intake.grant_identity_reveal",
    ],
    Role.CASE_ANALYST: [
        "intake.view_linked_allegation",
        "intake.view_allegationattachment",
    ],
}
