from django.db.models import QuerySet

from withhold.core.search import TextSearch
from withhold.core.stamps import Stamp

from . import duplicates
from .models import Entity


def entity_list(*, text: str = "", country: str = "", kind: str = "") -> QuerySet[Entity]:
    """Entities matching every word of ``text`` in their name.

    No case count here: a count would reveal law-enforcement-sensitive cases to roles that
    may not see them; the entity page lists the cases each user may see."""
    qs = Entity.objects.all()
    if country:
        qs = qs.filter(country=country.upper())
    if kind:
        qs = qs.filter(kind=kind)
    qs = ENTITY_SEARCH.filter(qs, text)
    return qs.order_by("name", "id")


# Every word in the name (trigram index on PostgreSQL), or a full-text match of the name with
# the "simple" configuration (no stemming: names are not English prose). Migration entities/0002.
# Raised by any save or delete of an entity (apps.EntitiesConfig.ready): pages kept in memory
# that show entity names (the case page) are drawn again.
ENTITIES = Stamp("entities:entities")

ENTITY_SEARCH = TextSearch(fields=("name",), document=("name",), config="simple")


def entity_get(*, pk: int) -> Entity | None:
    return Entity.objects.filter(pk=pk).first()


def entity_duplicate_suggestions(
    *, name: str, country: str, exclude: int | None = None
) -> list[duplicates.Suggestion]:
    """Entities already on file that are probably ``name`` (fuzzy name, same country)."""
    candidates = [
        duplicates.Candidate(pk=pk, name=n, aliases=tuple(a or ()), country=c)
        for pk, n, a, c in Entity.objects.filter(country=(country or "").upper()).values_list(
            "pk", "name", "aliases", "country"
        )
    ]
    return duplicates.likely_duplicates(name, country, candidates, exclude=exclude)
