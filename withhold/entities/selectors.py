from django.db.models import QuerySet

from withhold.core.search import TextSearch
from withhold.core.stamps import Stamp

from . import duplicates
from .models import Entity, MergedEntity


def entity_list(*, text: str = "", country: str = "", kind: str = "") -> QuerySet[Entity]:
    """Entities matching every word of ``text`` in their name or, normalised, in their name or
    an alias (so a merged-away name, kept as an alias, still finds the survivor, and "Sdn Bhd"
    finds "Sdn. Bhd.").

    No case count here: a count would reveal law-enforcement-sensitive cases to roles that
    may not see them; the entity page lists the cases each user may see."""
    qs = Entity.objects.all()
    if country:
        qs = qs.filter(country=country.upper())
    if kind:
        qs = qs.filter(kind=kind)
    qs = ENTITY_SEARCH.filter(qs, text)
    return qs.order_by("name", "id")


# Every word in the name, or normalised in the search key (name and aliases through
# ``duplicates.normalise_name``), or a full-text match of the name with the "simple"
# configuration (no stemming: names are not English prose). Trigram and full-text indexes on
# PostgreSQL: migrations entities/0002 and 0003.
# Raised by any save or delete of an entity (apps.EntitiesConfig.ready): pages kept in memory
# that show entity names (the case page) are drawn again.
ENTITIES = Stamp("entities:entities")

ENTITY_SEARCH = TextSearch(
    fields=("name",),
    keys=("search_key",),
    normalise=duplicates.normalise_name,
    document=("name",),
    config="simple",
)


def entity_get(*, pk: int) -> Entity | None:
    return Entity.objects.filter(pk=pk).first()


def entity_merged_into(*, pk: int) -> int | None:
    """The id of the entity that ``pk`` was merged into (after any later merges), or None when
    ``pk`` was never merged away."""
    return MergedEntity.objects.filter(merged_id=pk).values_list("survivor_id", flat=True).first()


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
