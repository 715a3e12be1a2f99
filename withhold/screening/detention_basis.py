"""What a screening hit says about a detention's basis: the hand-off from a hit to the
prefilled detention form (``screening.views.hit_detention``).

A hit on an order prefills that order; a CAATSA hit the CAATSA basis; a hit on the UFLPA Entity
List (reference ``uflpa #<row>``) the UFLPA presumption with that list entry as the nexus; and a
hit on a region — an order rule whose address region agreed (``address region agrees``) — for a
line whose manufacturer's address names a place in the Xinjiang Uyghur Autonomous Region the
UFLPA presumption with an XUAR nexus, the address as its evidence (the order stays applied). A
UFLPA list hit on such an address gives both nexuses. An order hit on a named company stays an
order hit, whatever its address. The officer checks every field before recording; the services
check them again.
"""

import re

from django.db.models import F

from withhold.detentions.models import Basis, Nexus
from withhold.reference.lists import UFLPA_SOURCE

from .models import ListEntry, ScreeningHit
from .normalise import PLACE_NAMES, address_words

_UFLPA_REF = re.compile(rf"^{re.escape(UFLPA_SOURCE)} #(\d+)$")
# The XUAR's place names in their pinyin form (``address_words`` turns the English forms into
# these): the region itself, its prefectures and county-level cities.
XUAR_PLACES = frozenset(PLACE_NAMES.values())
# How the engine says a line's address lies in the region an order names.
REGION_AGREES = "address region agrees"


def xuar_places(address: str) -> list[str]:
    """The XUAR place names an address holds (pinyin form), in sorted order."""
    return sorted(address_words(address or "") & XUAR_PLACES)


def uflpa_list_entry(hit: ScreeningHit) -> ListEntry | None:
    """The UFLPA Entity List entry a list hit names (``uflpa #<number>``, the list's own
    number) in the list's current version, if it still holds the entry under that name."""
    if hit.hit_kind != ScreeningHit.Kind.LIST:
        return None
    match = _UFLPA_REF.match(hit.hit_ref or "")
    if match is None:
        return None
    return (
        ListEntry.objects.filter(
            entity_list__source=UFLPA_SOURCE,
            list_version_id=F("entity_list__current_version_id"),
            number=int(match.group(1)),
            name=hit.hit_name,
        )
        .select_related("entity_list", "list_version")
        .first()
    )


def basis_initial(hit: ScreeningHit) -> dict:
    """The basis fields of the detention form for a hit: basis and, for the UFLPA presumption,
    its nexus (list entry; XUAR input and evidence)."""
    if hit.hit_kind == ScreeningHit.Kind.CAATSA:
        return {"basis": Basis.CAATSA}
    entry = uflpa_list_entry(hit)
    on_region = hit.hit_kind == ScreeningHit.Kind.ORDER and REGION_AGREES in (hit.reasons or "")
    places = (
        xuar_places(hit.manufacturer_address)
        if hit.country_of_origin in ("", "CN") and (entry is not None or on_region)
        else []
    )
    if entry is None and not places:
        return {"basis": Basis.ORDER}
    initial: dict = {"basis": Basis.UFLPA}
    if entry is not None:
        initial["uflpa_list_entry"] = entry
    if places:
        initial["xuar_input"] = hit.description
        initial["xuar_evidence"] = (
            f"Manufacturer's address on line {hit.line_id} of screening run {hit.run_id}: "
            f"“{hit.manufacturer_address}” (names {', '.join(places)}, in the XUAR)."
        )
    if entry is not None and places:
        initial["uflpa_nexus"] = Nexus.BOTH
    elif entry is not None:
        initial["uflpa_nexus"] = Nexus.LISTED_ENTITY
    else:
        initial["uflpa_nexus"] = Nexus.XUAR_ORIGIN
    return initial
