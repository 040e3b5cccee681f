"""Idempotent loaders for the shipped reference data (framework taxonomy, regions, IDSL pilots).

Each loader validates the whole file first and raises `ReferenceDataError` naming file, line
and field before anything is written; writes run in one transaction.
"""

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from .models import (
    AggregateScore,
    Aspect,
    Domain,
    Framework,
    Indicator,
    LevelCriterion,
    LevelScale,
    Origin,
    Predicate,
    Region,
    ScaleLevel,
)
from .scores.services import scores_changed
from .signals import regions_changed

DATA_DIR = Path(__file__).resolve().parent / "data"
SPBE_2020_DIR = DATA_DIR / "spbe_2020"
REGIONS_FILE = DATA_DIR / "regions_kemendagri_2025.csv"
PILOTS_FILE = DATA_DIR / "idsl_pilots.csv"
DISPLAY_PREFIX = "Tingkat Kematangan "


class ReferenceDataError(Exception):
    pass


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self):
        text = f"{self.created} created, {self.updated} updated"
        return text + (f", {len(self.skipped)} skipped" if self.skipped else "")


def _read_csv(path: Path, required: set[str]) -> list[tuple[int, dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise ReferenceDataError(f"{path.name}: line 1: missing column(s) {', '.join(sorted(missing))}")
        return [(number, row) for number, row in enumerate(reader, start=2)]


def _decimal(value: str, *, where: str) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ReferenceDataError(f"{where}: not a number: {value!r}") from exc


def _upsert(model, lookup: dict, values: dict, report: LoadReport):
    obj, created = model.objects.update_or_create(**lookup, defaults=values)
    if created:
        report.created += 1
    else:
        report.updated += 1
    return obj


def display_name(official: str) -> str:
    return official[len(DISPLAY_PREFIX) :] if official.startswith(DISPLAY_PREFIX) else official


@transaction.atomic
def load_framework(directory: Path = SPBE_2020_DIR) -> LoadReport:
    """Load (or refresh) one framework from `framework.json`, `indicators.csv` and optional `level_criteria.csv`."""
    spec = json.loads((directory / "framework.json").read_text(encoding="utf-8"))
    rows = _read_csv(directory / "indicators.csv", {"number", "aspect_number", "indicator_name_id", "weight_percent"})
    criteria_path = directory / "level_criteria.csv"
    criteria = _read_csv(criteria_path, {"indicator_number", "level", "criteria"}) if criteria_path.exists() else []
    _validate_framework(spec, rows, directory)

    report = LoadReport()
    if spec.get("is_current"):
        Framework.objects.exclude(slug=spec["slug"]).update(is_current=False)
    framework = _upsert(
        Framework,
        {"slug": spec["slug"]},
        {
            "name_id": spec["name_id"],
            "name_en": spec.get("name_en", ""),
            "regulation": spec.get("regulation", ""),
            "effective_from": spec.get("effective_from"),
            "is_current": bool(spec.get("is_current")),
            "source_note": spec.get("source_note", ""),
        },
        report,
    )
    domains = {
        d["number"]: _upsert(
            Domain,
            {"framework": framework, "number": d["number"]},
            {"name_id": d["name_id"], "name_en": d.get("name_en", ""), "weight": Decimal(d["weight"])},
            report,
        )
        for d in spec.get("domains", [])
    }
    aspects = {
        a["number"]: _upsert(
            Aspect,
            {"framework": framework, "number": a["number"]},
            {
                "domain": domains.get(a.get("domain")),
                "name_id": a["name_id"],
                "name_en": a.get("name_en", ""),
                "weight": Decimal(a["weight"]),
            },
            report,
        )
        for a in spec["aspects"]
    }
    scale_for_indicator = {}
    for s in spec.get("scales", []):
        scale = _upsert(
            LevelScale,
            {"framework": framework, "slug": s["slug"]},
            {"name_id": s["name_id"], "name_en": s["name_en"]},
            report,
        )
        for level, (name_id, name_en) in enumerate(s["levels"], start=1):
            _upsert(ScaleLevel, {"scale": scale, "level": level}, {"name_id": name_id, "name_en": name_en}, report)
        first, last = s["indicators"]
        scale_for_indicator.update(dict.fromkeys(range(first, last + 1), scale))
    for p in spec.get("predicates", []):
        _upsert(
            Predicate,
            {"framework": framework, "name_id": p["name_id"]},
            {"name_en": p.get("name_en", ""), "min_value": Decimal(p["min"]), "max_value": Decimal(p["max"])},
            report,
        )
    indicators = {}
    for _line, row in rows:
        number = int(row["number"])
        official = row["indicator_name_id"].strip()
        indicators[number] = _upsert(
            Indicator,
            {"framework": framework, "number": number},
            {
                "aspect": aspects[int(row["aspect_number"])],
                "scale": scale_for_indicator.get(number),
                "official_name": official,
                "name_id": display_name(official),
                "name_en": (row.get("indicator_name_en") or "").strip(),
                "weight": Decimal(row["weight_percent"]),
            },
            report,
        )
    for _line, number, level, text in _validated_criteria(criteria, indicators, criteria_path.name):
        _upsert(LevelCriterion, {"indicator": indicators[number], "level": level}, {"text_id": text}, report)
    return report


def _integer(value, *, where: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ReferenceDataError(f"{where}: not a whole number: {value!r}") from exc


def _validated_criteria(rows, indicators: dict, name: str) -> list[tuple[int, int, int, str]]:
    """Each criterion row checked (known indicator, level 1–5, text present); exactly levels 1–5 per indicator."""
    checked, levels = [], {}
    for line, row in rows:
        number = _integer(row["indicator_number"], where=f"{name}: line {line}: indicator_number")
        level = _integer(row["level"], where=f"{name}: line {line}: level")
        if number not in indicators:
            raise ReferenceDataError(f"{name}: line {line}: indicator_number: unknown indicator {number}")
        if not 1 <= level <= 5:
            raise ReferenceDataError(f"{name}: line {line}: level: {level} is not 1–5")
        if not (row.get("criteria") or "").strip():
            raise ReferenceDataError(f"{name}: line {line}: criteria: empty")
        if level in levels.setdefault(number, set()):
            raise ReferenceDataError(f"{name}: line {line}: level: indicator {number} level {level} appears twice")
        levels[number].add(level)
        checked.append((line, number, level, row["criteria"].strip()))
    for number, seen in levels.items():
        if seen != {1, 2, 3, 4, 5}:
            raise ReferenceDataError(f"{name}: indicator {number}: levels {sorted(seen)}, expected 1–5")
    return checked


def _validate_framework(spec: dict, rows: list[tuple[int, dict]], directory: Path) -> None:
    name = f"{directory.name}/indicators.csv"
    domain_numbers = {d["number"] for d in spec.get("domains", [])}
    for a in spec["aspects"]:
        if domain_numbers and a.get("domain") not in domain_numbers:
            raise ReferenceDataError(
                f"{directory.name}/framework.json: aspect {a['number']}: domain: {a.get('domain')!r} is not one of "
                f"the framework's domains {sorted(domain_numbers)}"
            )
        if not domain_numbers and a.get("domain") is not None:
            raise ReferenceDataError(
                f"{directory.name}/framework.json: aspect {a['number']}: domain: the framework defines no domains"
            )
    aspect_numbers = {a["number"] for a in spec["aspects"]}
    aspect_totals = dict.fromkeys(aspect_numbers, Decimal(0))
    aspect_lines: dict[int, list[int]] = {n: [] for n in aspect_numbers}
    seen = set()
    for line, row in rows:
        try:
            number, aspect = int(row["number"]), int(row["aspect_number"])
        except ValueError as exc:
            raise ReferenceDataError(f"{name}: line {line}: number/aspect_number: not an integer") from exc
        if number in seen:
            raise ReferenceDataError(f"{name}: line {line}: number: duplicate indicator {number}")
        seen.add(number)
        if aspect not in aspect_numbers:
            raise ReferenceDataError(f"{name}: line {line}: aspect_number: unknown aspect {aspect}")
        aspect_totals[aspect] += _decimal(row["weight_percent"], where=f"{name}: line {line}: weight_percent")
        aspect_lines[aspect].append(line)
    for a in spec["aspects"]:
        if aspect_totals[a["number"]] != Decimal(a["weight"]):
            lines = aspect_lines[a["number"]]
            first, last = (lines[0], lines[-1]) if lines else (1, 1)
            raise ReferenceDataError(
                f"{name}: line {first}: weight_percent: the indicators of aspect {a['number']} (lines {first}–{last}) "
                f"sum to {aspect_totals[a['number']]}, framework.json says {a['weight']}"
            )
    total = sum(aspect_totals.values())
    if total != 100:
        raise ReferenceDataError(f"{name}: indicator weights sum to {total}, not 100")


@transaction.atomic
def load_regions(path: Path = REGIONS_FILE, pilots_path: Path = PILOTS_FILE) -> LoadReport:
    """Load provinces, then kabupaten/kota; existing rows are updated in bulk, never duplicated."""
    rows = _read_csv(path, {"code", "name", "type", "province_code"})
    valid_types = set(Region.Type.values)
    for line, row in rows:
        if row["type"] not in valid_types:
            raise ReferenceDataError(
                f"{path.name}: line {line}: type: {row['type']!r} is not one of {sorted(valid_types)}"
            )
    pilots = {row["code"] for _line, row in _read_csv(pilots_path, {"code"})} if pilots_path.exists() else set()

    report = LoadReport()
    existing = {r.code: r for r in Region.objects.all()}
    provinces_first = sorted(rows, key=lambda item: item[1]["type"] != Region.Type.PROVINSI)
    to_create, to_update = [], []
    for line, row in provinces_first:
        province = None
        if row["province_code"]:
            province = existing.get(row["province_code"])
            if province is None:
                raise ReferenceDataError(f"{path.name}: line {line}: province_code: unknown {row['province_code']}")
        values = {
            "name": row["name"].strip(),
            "type": row["type"],
            "province": province,
            "population": _integer(row["population_2025"], where=f"{path.name}: line {line}: population_2025")
            if row.get("population_2025")
            else None,
        }
        region = existing.get(row["code"])
        if region is None:
            region = Region(code=row["code"], is_idsl_pilot=row["code"] in pilots, **values)
            to_create.append(region)
            existing[region.code] = region
            if region.type == Region.Type.PROVINSI:
                region.save()  # children need its primary key
                report.created += 1
                to_create.pop()
        else:
            for field, value in values.items():
                setattr(region, field, value)
            if region.code in pilots:
                region.is_idsl_pilot = True  # administrators may flag more; never unflag theirs
            to_update.append(region)
    Region.objects.bulk_create(to_create, batch_size=500)
    Region.objects.bulk_update(to_update, ["name", "type", "province", "population", "is_idsl_pilot"], batch_size=500)
    if to_update:  # no post_save from a bulk update: whatever shows region names (search) refreshes itself
        regions_changed.send(sender=Region, region_ids=[r.pk for r in to_update])
    report.created += len(to_create)
    report.updated += len(to_update)
    return report


OFFICIAL_RESULTS_FILE = DATA_DIR / "spbe_pemda_results_2023_2024.csv"
CORRECTIONS_FILE = DATA_DIR / "official_results_corrections.csv"
OFFICIAL_SOURCE = "KemenPANRB {year} (resmi)"
DOMAIN_COLUMNS = ("D1", "D2", "D3", "D4")


@transaction.atomic
def load_official_results(
    path: Path = OFFICIAL_RESULTS_FILE, framework_slug: str = "spbe-2020", corrections_path: Path = CORRECTIONS_FILE
) -> LoadReport:
    """Official per-region D1–D4, index and predicate (KemenPANRB evaluation reports), as official aggregates.

    Rows whose region code does not resolve are listed in the report's `skipped`, never dropped silently;
    any malformed value stops the load with file, line and field.
    """
    rows = _read_csv(path, {"year", "region_code", "instansi", *DOMAIN_COLUMNS, "indeks", "predikat"})
    corrections = {}
    if corrections_path and corrections_path.exists():
        for _line, c in _read_csv(corrections_path, {"year", "region_code", "field", "published", "corrected"}):
            corrections[(c["year"], c["region_code"], c["field"])] = (c["published"], c["corrected"])
    framework = Framework.objects.get(slug=framework_slug)
    predicates = set(Predicate.objects.filter(framework=framework).values_list("name_id", flat=True))
    regions = {r.code: r for r in Region.objects.all()}
    report = LoadReport()
    wanted = {}
    for line, row in rows:
        where = f"{path.name}: line {line}"
        year = _integer(row["year"], where=f"{where}: year")
        region = regions.get(row["region_code"].strip())
        if region is None:
            report.skipped.append(
                f"{where}: region_code: {row['region_code']!r} ({row['instansi']}) is not a known region"
            )
            continue
        if row["predikat"] not in predicates:
            raise ReferenceDataError(f"{where}: predikat: {row['predikat']!r} is not one of {sorted(predicates)}")
        values = [("index", 0, row["indeks"], row["predikat"])]
        values += [("domain", n, row[column], "") for n, column in enumerate(DOMAIN_COLUMNS, start=1)]
        for scope, number, raw, predicate in values:
            field = "indeks" if scope == "index" else DOMAIN_COLUMNS[number - 1]
            source = OFFICIAL_SOURCE.format(year=year)
            published, corrected = corrections.get((row["year"], row["region_code"], field), (None, None))
            if published is not None and published == raw:
                raw, source = corrected, source + ", dikoreksi"
            value = _decimal(raw, where=f"{where}: {field}")
            # Published values stay as published, even the odd one below 1 (Kab. Banyuasin 2023 D4 = 0.30,
            # consistent with its published index); only values no scale allows are refused.
            if not Decimal(0) <= value <= Decimal(5):
                raise ReferenceDataError(f"{where}: {field}: {value} is outside 0–5")
            key = (region.pk, year, scope, number)
            if key in wanted:
                raise ReferenceDataError(f"{where}: region_code: {region.code} {year} appears twice")
            wanted[key] = (value, predicate, source)
    existing = {
        (a.region_id, a.year, a.scope, a.number): a
        for a in AggregateScore.objects.filter(origin=Origin.OFFICIAL, framework=framework)
    }
    to_create, to_update = [], []
    for key, (value, predicate, source) in wanted.items():
        region_id, year, scope, number = key
        current = existing.get(key)
        if current is None:
            to_create.append(
                AggregateScore(
                    region_id=region_id, framework=framework, year=year, scope=scope, number=number,
                    value=value, predicate=predicate, origin=Origin.OFFICIAL, source=source,
                )
            )  # fmt: skip
        elif (current.value, current.predicate, current.source) != (value, predicate, source):
            current.value, current.predicate, current.source = value, predicate, source
            to_update.append(current)
    AggregateScore.objects.bulk_create(to_create, batch_size=1000)
    AggregateScore.objects.bulk_update(to_update, ["value", "predicate", "source"], batch_size=1000)
    report.created, report.updated = len(to_create), len(to_update)
    scores_changed(framework)
    return report


def load_all() -> dict[str, LoadReport]:
    return {
        "framework SPBE 2020": load_framework(SPBE_2020_DIR),
        "regions": load_regions(),
        "official SPBE results 2023-2024": load_official_results(),
    }
