"""The names public entity lists are loaded under (``screening.EntityList.source``), for the apps
that name a list without depending on screening: a detention under the UFLPA presumption points
at an entry of the list loaded as ``uflpa``."""

UFLPA_SOURCE = "uflpa"
