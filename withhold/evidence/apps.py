from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "withhold.evidence"
    label = "evidence"
    verbose_name = "Evidence and supply chains"
