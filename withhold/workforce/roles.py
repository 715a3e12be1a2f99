"""What each role may do with the workforce needs assessment.

Supervisors run the assessment, save scenarios, keep the list of required competencies, record
staff competencies and plan training. Analysts see only their own competencies and training
(``view_own_skills``, checked in ``selectors.staff_competency_list_for_user``); others see nothing.
"""

from withhold.accounts.roles import Role

_OWN = ["workforce.view_own_skills"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SUPERVISOR: [
        *_OWN,
        "workforce.view_workforce_assessment",
        "workforce.view_competency",
        "workforce.add_competency",
        "workforce.change_competency",
        "workforce.view_staffcompetency",
        "workforce.add_staffcompetency",
        "workforce.change_staffcompetency",
        "workforce.view_trainingplan",
        "workforce.add_trainingplan",
        "workforce.change_trainingplan",
        "workforce.view_staffingscenario",
        "workforce.add_staffingscenario",
    ],
    Role.CASE_ANALYST: _OWN,
    Role.INTAKE_ANALYST: _OWN,
    Role.TARGETING_ANALYST: _OWN,
}
