"""Give the roles their workforce permissions, and seed the division's required competencies.

The seeded list is a starting point drawn from the work GAO-21-106 describes (forced-labor
indicators, supply-chain tracing, trade data, languages of the source regions, targeting systems,
the legal standard); supervisors change it, and their headcounts, on the competencies page.
"""

from django.db import migrations

COMPETENCIES = [
    (
        "Forced-labor indicators (ILO)",
        "investigation",
        3,
        4,
        "Recognising the ILO indicators of forced labour in evidence and interviews.",
    ),
    (
        "Supply-chain tracing",
        "investigation",
        3,
        4,
        "Mapping merchandise from raw material to importer through producers and traders.",
    ),
    (
        "Open-source research",
        "investigation",
        2,
        3,
        "Finding and preserving public evidence: company registries, media, satellite imagery.",
    ),
    (
        "Trade data analysis",
        "data",
        3,
        3,
        "Bills of lading, entry data and HTS classification to find what reaches the U.S.",
    ),
    (
        "Targeting systems",
        "systems",
        2,
        2,
        "Using the targeting and entry systems to find and hold shipments.",
    ),
    (
        "Legal standards (19 U.S.C. 1307, 19 CFR 12.42)",
        "legal",
        2,
        2,
        "Reasonable-but-not-conclusive and probable-cause standards; admissibility.",
    ),
    ("Mandarin Chinese", "language", 3, 2, "Reading sources and documents in Mandarin."),
    ("Uyghur", "language", 3, 1, "Reading sources and documents in Uyghur."),
    ("Malay", "language", 3, 1, "Reading sources and documents in Malay."),
    ("Spanish", "language", 3, 1, "Reading sources and documents in Spanish."),
]


def forwards(apps, schema_editor):
    from withhold.accounts.roles import sync_role_groups

    sync_role_groups(apps)
    competency = apps.get_model("workforce", "Competency")
    for name, category, level, headcount, description in COMPETENCIES:
        competency.objects.get_or_create(
            name=name,
            defaults={
                "category": category,
                "required_level": level,
                "required_headcount": headcount,
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0001_initial"),
        ("detentions", "0002_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
