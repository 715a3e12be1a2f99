from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "withhold.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # Case pages kept in memory (page_cache) are drawn again after any change to what they show.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import page_cache
        from .models import Case, CaseDocument, CaseEntity, CaseTransition, CaseUpdate, Task

        for model in (Case, CaseEntity, CaseTransition, CaseUpdate, Task, CaseDocument):
            for signal in (post_save, post_delete):
                signal.connect(
                    page_cache.case_changed,
                    sender=model,
                    dispatch_uid=f"cases-page-{model._meta.label_lower}-{signal}",
                )
        # A notice about a task or case is read only by someone who may see the case now.
        from withhold.notices import registry

        from .selectors import case_visible_queryset

        registry.register(
            Task, lambda user, task: case_visible_queryset(user).filter(pk=task.case_id).exists()
        )
        registry.register(
            Case, lambda user, case: case_visible_queryset(user).filter(pk=case.pk).exists()
        )
        for through in (Case.evidence_sources.through, Case.ilo_indicators.through):
            m2m_changed.connect(
                page_cache.case_links_changed,
                sender=through,
                dispatch_uid=f"cases-page-{through._meta.label_lower}",
            )
