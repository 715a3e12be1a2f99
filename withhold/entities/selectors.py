from django.db.models import Count, QuerySet

from .models import Entity


def entity_list(*, text: str = "", country: str = "", kind: str = "") -> QuerySet[Entity]:
    """Entities matching every word of ``text`` in their name, with the number of linked cases."""
    qs = Entity.objects.annotate(case_count=Count("case_links__case", distinct=True))
    if country:
        qs = qs.filter(country=country.upper())
    if kind:
        qs = qs.filter(kind=kind)
    for word in text.split()[:6]:
        qs = qs.filter(name__icontains=word)
    return qs.order_by("name", "id")


def entity_get(*, pk: int) -> Entity | None:
    return Entity.objects.filter(pk=pk).first()
