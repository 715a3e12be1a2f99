"""Made-up demo allegations for the triage queue: every one flagged ``is_demo`` and starting
"DEMO", no real company named. Submitted and triaged through the real services, so each has its
receipt, audit trail and decision; received dates are then spread over the past weeks so that
some are overdue."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from withhold.accounts.models import User

from . import services
from .models import Allegation

DEMO_REPORTS = [
    # (days ago, manufacturer, country, goods, anonymous, triage)
    (2, "DEMO Example Spinning Mill", "CN", "Combed cotton yarn on cones", True, ""),
    (5, "DEMO Example Glove Works Sdn Bhd", "MY", "Disposable nitrile gloves", False, ""),
    (14, "", "TH", "Frozen shrimp in retail packs", True, ""),
    (20, "DEMO Example Fishing Co.", "TW", "Frozen tuna loins", False, "ask"),
    (30, "DEMO Example Brickworks", "IN", "Fired clay bricks", True, "decline"),
]


def intake_demo_load(*, stdout=None) -> dict:
    """Create the demo allegations unless they are there already."""
    if Allegation.objects.filter(is_demo=True).exists():
        return {"allegations": 0}
    analyst = User.objects.get(username="intake")
    with transaction.atomic():
        for days, maker, country, goods, anonymous, action in DEMO_REPORTS:
            receipt = services.allegation_submit(
                is_demo=True,
                reasons=(
                    "DEMO report, made up. Former workers said their identity documents were kept "
                    "by the employer and wages were held back until the end of their contracts; "
                    "they could not leave the site without permission."
                ),
                merchandise_description=f"DEMO {goods}",
                manufacturer_name=maker,
                country=country,
                submitter_type="ngo" if not anonymous else "worker",
                anonymous=anonymous,
                contact_email="" if anonymous else "demo-submitter@example.org",
                ilo_indicators=[7, 8],
            )
            allegation = receipt.allegation
            if action == "ask":
                services.allegation_information_request(
                    allegation=allegation,
                    actor=analyst,
                    question="DEMO: Which port were the goods shipped from, and when?",
                )
            elif action == "decline":
                services.allegation_decline(
                    allegation=allegation,
                    actor=analyst,
                    reason="DEMO: the goods are sold only in the domestic market.",
                )
            Allegation.objects.filter(pk=allegation.pk).update(
                created_at=timezone.now() - timedelta(days=days)
            )
    if stdout is not None:
        stdout.write(f"Created {len(DEMO_REPORTS)} made-up demo allegations.")
    return {"allegations": len(DEMO_REPORTS)}


DEMO_LOADERS = [intake_demo_load]
