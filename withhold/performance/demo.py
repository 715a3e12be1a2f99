"""Made-up demo outreach activities, spread over the current and the previous fiscal year so the
outreach indicator, its baseline and its trend have something to show. Flagged ``is_demo`` and
labelled on every page.

Run by ``withhold load-demo`` (found through ``DEMO_LOADERS``).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from withhold.accounts.models import User

from . import services
from .models import OutreachActivity

# (days ago, title, kind, audience, country, organisations, participants)
DEMO_ACTIVITIES = [
    (12, "Forced-labor indicators for apparel importers", "presentation", "industry", "US",
     "DEMO Apparel Importers Association\nDEMO Retail Council", 85),
    (40, "Seafood supply-chain roundtable", "roundtable", "ngo", "TH",
     "DEMO Fishers' Rights Network\nDEMO Seafood Traceability Forum", 22),
    (75, "Briefing for a foreign labor ministry", "meeting", "foreign_government", "MY",
     "DEMO Ministry of Human Resources", 9),
    (130, "Webinar: proof of admissibility after a detention", "webinar", "industry", "US",
     "DEMO Customs Brokers Guild", 240),
    (200, "Training for port officers on Section 307", "training", "us_government", "US",
     "DEMO Port of Los Angeles CEE", 31),
    (380, "Cocoa traceability working group", "roundtable", "mixed", "CI",
     "DEMO Cocoa Sustainability Council\nDEMO Worker Voice Coalition", 47),
]  # fmt: skip


@transaction.atomic
def performance_demo_load(*, stdout=None) -> dict:
    if OutreachActivity.objects.filter(is_demo=True).exists():
        return {"outreach": 0}
    supervisor = User.objects.filter(is_demo=True, username="supervisor").first()
    if supervisor is None:
        return {"outreach": 0}
    today = timezone.localdate()
    for days, title, kind, audience, country, organisations, participants in DEMO_ACTIVITIES:
        services.outreach_create(
            actor=supervisor,
            held_on=today - timedelta(days=days),
            title=f"DEMO {title} (made-up activity)",
            kind=kind,
            audience=audience,
            country=country,
            organisations=organisations,
            participants=participants,
            notes="DEMO: made-up activity from the demo data set.",
            is_demo=True,
        )
    if stdout is not None:
        stdout.write(f"Created {len(DEMO_ACTIVITIES)} made-up demo outreach activities.\n")
    return {"outreach": len(DEMO_ACTIVITIES)}


DEMO_LOADERS = [performance_demo_load]
