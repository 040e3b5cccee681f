"""The shipped starting list of synonyms and acronyms (search/data/synonyms.csv); moderators edit it in the admin."""

import csv
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "data" / "synonyms.csv"


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    existing = {s.terms.lower() for s in Synonym.objects.all()}
    with SEED.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            terms = ", ".join(p.strip() for p in row["terms"].split(",") if p.strip())
            if terms and terms.lower() not in existing:
                Synonym.objects.create(terms=terms, note=(row.get("note") or "").strip()[:200])


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_indexes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
