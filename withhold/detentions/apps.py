from django.apps import AppConfig


class DetentionsConfig(AppConfig):
    name = "withhold.detentions"
    label = "detentions"
    verbose_name = "Detentions"

    def ready(self) -> None:
        # A notice about a detention is read only by someone who may see the detention now.
        from withhold.notices import registry

        from .models import Detention
        from .selectors import detention_visible_queryset

        registry.register(
            Detention,
            lambda user, detention: (
                detention_visible_queryset(user).filter(pk=detention.pk).exists()
            ),
        )
