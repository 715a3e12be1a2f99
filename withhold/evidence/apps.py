from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "withhold.evidence"
    label = "evidence"
    verbose_name = "Evidence and supply chains"

    def ready(self):
        # Intake sits below evidence in the layers, so it cannot call evidence itself: it runs
        # the handlers registered here when an allegation is filed into a case.
        from withhold.intake.services import ALLEGATION_FILED_HANDLERS

        from .services import evidence_from_allegation

        if evidence_from_allegation not in ALLEGATION_FILED_HANDLERS:
            ALLEGATION_FILED_HANDLERS.append(evidence_from_allegation)
