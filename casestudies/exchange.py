"""Import and export of case studies: the JSONL/CSV contract documented in docs/import-export.md.

Import is all-or-nothing: every line is validated first, every error is reported with its line
and field, and nothing is written unless the whole file is valid — and written: a line the database
refuses (a slug taken, a value the model rejects) rolls back every line. It is idempotent by
`external_id`: importing the same file twice leaves the same state (unchanged pages get no new
revision). A line whose page was edited on the site since the file was exported or last imported is
refused unless `overwrite` (casestudies.site_edits).
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from wagtail.models import Revision
from wagtail.rich_text import RichText

from cms.sanitize import plain_text, sanitize_richtext_source
from cms.spreadsheet_csv import text_from_spreadsheet

from .models import CaseStudyIndicator, CaseStudyPage, Framework, Indicator, Region, RegionPage
from .records import FIELDS, MARKER, REQUIRED, TEXT_SECTIONS, export_record, normalized
from .services import region_page_create
from .site_edits import describe, log_import, site_edit_since

STATUSES = set(CaseStudyPage.Status.values)
YEAR_MIN, YEAR_MAX = CaseStudyPage.YEAR_RANGE
COST_MAX = CaseStudyPage.COST_MAX
MAX_ERRORS = 100
MARKER_FORMAT = re.compile(r"\d+@\S+")
# The page fields an import writes, checked with the model's own rules before a page is saved.
WRITTEN_FIELDS = frozenset(
    {"title", "external_id", "summary", "year_start", "year_end", "status", "cost_idr", *TEXT_SECTIONS}
    | {"contact_name", "contact_role", "contact_email"}
)


@dataclass
class LineError:
    line: int
    field: str
    message: str

    def __str__(self):
        if not self.field:  # about the line as a whole
            return f"line {self.line}: {self.message}"
        return f"line {self.line}: {self.field}: {self.message}"


class ImportValidationError(Exception):
    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    published: int = 0
    kept: int = 0  # present already and left as the site has it (keep_existing)
    overwritten: int = 0  # updated over an edit made on the site (overwrite), each in the page's history
    external_ids: list[str] = field(default_factory=list)

    def __str__(self):
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.published} published"
        if self.overwritten:
            text += f", {self.overwritten} overwrote edits made on the site"
        return text + (f", {self.kept} kept as edited on the site" if self.kept else "")


# ---------------------------------------------------------------- reading


def read_records(path: Path) -> list[tuple[int, object]]:
    """(line number, decoded JSON value or LineError) for each non-empty line of a .jsonl or row of a .csv file."""
    return read_record_content(path.suffix, path.read_bytes())


def read_record_content(suffix: str, raw: bytes) -> list[tuple[int, object]]:
    """read_records for a file's bytes (an upload in the admin): `suffix` (".jsonl" or ".csv") says how to read."""
    if suffix.lower() == ".csv":
        return _read_csv(raw)
    records = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            records.append(
                (number, LineError(number, "(line)", f"not valid UTF-8 (byte {exc.start + 1}); save the file as UTF-8"))
            )
            continue
        try:
            records.append((number, json.loads(text)))
        except json.JSONDecodeError as exc:
            records.append((number, LineError(number, "(line)", f"invalid JSON: {exc.msg} at column {exc.colno}")))
    return records


def _read_csv(raw: bytes) -> list[tuple[int, object]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [(line, LineError(line, "(line)", "not valid UTF-8; save the file as UTF-8"))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        return [(1, LineError(1, "(header)", f"missing column(s): {', '.join(missing)}"))]
    records = []
    for row in reader:
        line = reader.line_num
        row = {name: text_from_spreadsheet(value) for name, value in row.items()}  # as export_pages wrote it
        records.append((line, _csv_row_to_record(row, line)))
    return records


def _csv_row_to_record(row: dict, line: int):
    if None in row:
        return LineError(line, "(row)", f"{len(row) - 1 + len(row[None])} cells for {len(row) - 1} columns")
    missing = [name for name, value in row.items() if value is None]
    if missing:
        return LineError(line, "(row)", f"too few cells: no value for {', '.join(missing)}")
    record = {k: v for k, v in row.items() if v != ""}
    try:
        record["indicators"] = [int(n) for n in row.get("indicators", "").split(";") if n.strip()]
        record["tags"] = [t.strip() for t in row.get("tags", "").split(";") if t.strip()]
        for key in ("year_start", "year_end", "cost_idr"):
            if key in record:
                record[key] = int(record[key])
        levels = {}
        for item in filter(None, (row.get("levels") or "").split(";")):
            number, span = item.split(":")
            before, after = span.split("-")
            levels[number.strip()] = [int(before) if before else None, int(after) if after else None]
        record["levels"] = levels
    except ValueError as exc:
        return LineError(line, "(row)", f"cannot read list or number: {exc}")
    record.setdefault("body_html", "")
    return record


# ---------------------------------------------------------------- validating


@dataclass
class Record:
    line: int
    data: dict
    region: Region
    claims: list[tuple[Indicator, int | None, int | None]]
    unchanged: bool = False  # its page holds this content already (set by _check_site_edits)
    site_edit: Revision | None = None  # the edit on the site that writing this line replaces


def validate(records: Iterable[tuple[int, object]], *, region_codes: frozenset[str] | None = None) -> list[Record]:
    """The file's valid records; raises ImportValidationError with every problem (at most MAX_ERRORS).

    `region_codes`: a record of another region, or one whose page is under another region, is an error (an
    officer's upload).
    """
    framework = Framework.current()
    indicators = {i.number: i for i in Indicator.objects.filter(framework=framework)}
    codes = [r.get("region_code") for _n, r in records if isinstance(r, dict) and isinstance(r.get("region_code"), str)]
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    errors: list[LineError] = []
    valid: list[Record] = []
    seen_ids: dict[str, int] = {}
    for line, record in records:
        if isinstance(record, LineError):
            errors.append(record)
            continue
        problems = _validate_record(line, record, regions, indicators, seen_ids)
        if not problems and region_codes is not None:
            problems = _region_problems(line, record, region_codes)
        if problems:
            errors.extend(problems)
        else:
            claims = [
                (indicators[n], *((record.get("levels") or {}).get(str(n)) or (None, None)))
                for n in record["indicators"]
            ]
            valid.append(Record(line, record, regions[record["region_code"]], claims))
        if len(errors) >= MAX_ERRORS:
            break
    if not records:
        errors.append(LineError(1, "(file)", "the file holds no records"))
    if errors:
        raise ImportValidationError(errors)
    return valid


def _region_problems(line: int, record: dict, region_codes: frozenset[str]) -> list[LineError]:
    if record["region_code"] not in region_codes:
        return [LineError(line, "region_code", f"{record['region_code']!r} is not your region")]
    page = _find_page(record["external_id"])
    if page is not None:
        region = page.get_parent().specific_deferred
        code = getattr(getattr(region, "region", None), "code", None)
        if code not in region_codes:
            return [LineError(line, "external_id", "names a case study of another region")]
    return []


def _validate_record(line, record, regions, indicators, seen_ids) -> list[LineError]:
    if not isinstance(record, dict):
        return [LineError(line, "(line)", "each line must be a JSON object")]
    errors = []

    def error(name, message):
        errors.append(LineError(line, name, message))

    for name in record:
        if name not in FIELDS:
            error(name, "unknown field")
    for name in REQUIRED:
        if name not in record or record[name] is None:
            error(name, "missing")

    def check(name, kind: Callable[[object], bool], description: str, required=False):
        value = record.get(name)
        if value is None:
            return False
        if not kind(value):
            error(name, f"must be {description}, got {type(value).__name__}")
            return False
        return True

    is_int = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
    is_str = lambda v: isinstance(v, str)  # noqa: E731

    if check("external_id", is_str, "a string"):
        ext = record["external_id"].strip()
        if not ext or len(ext) > 100:
            error("external_id", "must be 1–100 characters")
        elif ext in seen_ids:
            error("external_id", f"duplicate of line {seen_ids[ext]}")
        else:
            seen_ids[ext] = line
            record["external_id"] = ext
    if check("title", is_str, "a string") and not 0 < len(record["title"].strip()) <= 255:
        error("title", "must be 1–255 characters")
    if check("region_code", is_str, "a string") and record["region_code"] not in regions:
        error("region_code", f"unknown region {record['region_code']!r} (Kemendagri code such as '32.11')")
    if check("summary", is_str, "a string"):
        summary = plain_text(record["summary"])
        if not summary:
            error("summary", "must not be empty")
        elif len(summary) > 300:
            error("summary", f"is {len(summary)} characters; at most 300")
    check("body_html", is_str, "a string")
    for name in (*TEXT_SECTIONS, "contact_name", "contact_role", "contact_email"):
        check(name, is_str, "a string")
    if record.get("contact_email"):
        try:
            validate_email(record["contact_email"])
        except ValidationError:
            error("contact_email", "is not a valid email address")
    if check("indicators", lambda v: isinstance(v, list), "a list of indicator numbers"):
        numbers = record["indicators"]
        if not numbers:
            error("indicators", "must name at least one indicator")
        for n in numbers:
            if not is_int(n):
                error("indicators", f"{n!r} is not an indicator number")
            elif n not in indicators:
                error("indicators", f"unknown indicator {n} (1–{max(indicators, default=0)})")
        if len(set(map(str, numbers))) != len(numbers):
            error("indicators", "lists an indicator twice")
    if check("tags", lambda v: isinstance(v, list), "a list of strings"):
        for tag in record["tags"]:
            if not is_str(tag) or not tag.strip() or len(tag) > 100:
                error("tags", f"{tag!r} is not a tag (a string of 1–100 characters)")
    for name in ("year_start", "year_end"):
        if check(name, is_int, "an integer year" + (" or null" if name == "year_end" else "")) and not (
            YEAR_MIN <= record[name] <= YEAR_MAX
        ):
            error(name, f"must be between {YEAR_MIN} and {YEAR_MAX}")
    if (
        is_int(record.get("year_start"))
        and is_int(record.get("year_end"))
        and record["year_end"] < record["year_start"]
    ):
        error("year_end", "is before year_start")
    if check("status", is_str, "a string") and record["status"] not in STATUSES:
        error("status", f"must be one of {', '.join(sorted(STATUSES))}")
    if check("cost_idr", is_int, "an integer (Rupiah) or null") and not 0 <= record["cost_idr"] <= COST_MAX:
        error("cost_idr", f"must be between 0 and {COST_MAX:,} Rupiah")
    if check("levels", lambda v: isinstance(v, dict), 'an object like {"43": [2, 4]}'):
        numbers = record.get("indicators") if isinstance(record.get("indicators"), list) else None
        claimed = {str(n) for n in numbers or [] if is_int(n)}
        for key, pair in record["levels"].items():
            where = f"levels.{key}"
            if numbers is not None and key not in claimed:
                error(where, "is not one of this record's indicators")
                continue
            if not (isinstance(pair, list) and len(pair) == 2):
                error(where, "must be [level_before, level_after]")
                continue
            if any(v is not None and (not is_int(v) or not 1 <= v <= 5) for v in pair):
                error(where, "levels must be integers 1–5 or null")
            elif None not in pair and pair[1] < pair[0]:
                error(where, "level_after is lower than level_before")
    if check(MARKER, is_str, "a string (written by the export)") and not MARKER_FORMAT.fullmatch(record[MARKER]):
        error(MARKER, "is not a revision written by the export (ID@TIME); leave it out of a hand-written line")
    return errors


# ---------------------------------------------------------------- writing


def import_file(
    path: Path,
    *,
    publish: bool = False,
    dry_run: bool = False,
    progress=None,
    demo: bool = False,
    keep_unpublished: frozenset[str] = frozenset(),
    keep_existing: bool = False,
    overwrite: bool = False,
) -> ImportReport:
    """Validate the whole file, then write it in one transaction (or nothing, on --dry-run or any error).

    `keep_unpublished`: external ids saved as drafts even with `publish` (demo pages left for moderation).
    `keep_existing`: pages already on the site are left as they are (the demo loader never reverts an edit).
    `overwrite`: lines whose page was edited on the site since are written anyway (logged); else refused.
    """
    return import_records(
        read_records(path),
        source=path.name,
        publish=publish,
        dry_run=dry_run,
        progress=progress,
        demo=demo,
        keep_unpublished=keep_unpublished,
        keep_existing=keep_existing,
        overwrite=overwrite,
    )


@dataclass(frozen=True)
class RecordChange:
    """What one valid line does (for a preview)."""

    line: int
    external_id: str
    title: str
    region: Region
    action: str  # "create", "update" or "unchanged"
    page: CaseStudyPage | None = None


def preview_records(
    records: list[tuple[int, object]], *, publish: bool = False, region_codes: frozenset[str] | None = None
) -> list[RecordChange]:
    """What importing the records would do, line by line; raises ImportValidationError as the import would (the
    model's own refusals while saving are found by the write only)."""
    valid = validate(records, region_codes=region_codes)
    _check_site_edits(valid, publish=publish, overwrite=False)
    changes = []
    for record in valid:
        page = _find_page(record.data["external_id"])
        action = "create" if page is None else "unchanged" if record.unchanged else "update"
        changes.append(
            RecordChange(
                record.line, record.data["external_id"], record.data["title"].strip(), record.region, action, page
            )
        )
    return changes


def import_records(
    records: list[tuple[int, object]],
    *,
    source: str,
    publish: bool = False,
    dry_run: bool = False,
    progress=None,
    demo: bool = False,
    keep_unpublished: frozenset[str] = frozenset(),
    keep_existing: bool = False,
    overwrite: bool = False,
    region_codes: frozenset[str] | None = None,
    user=None,
) -> ImportReport:
    """import_file for records already read (read_records / read_record_content): `source` names the file in each
    page's history, `user` (a browser upload) is who imported, `region_codes` as in validate."""
    records = validate(records, region_codes=region_codes)
    if not keep_existing:
        _check_site_edits(records, publish=publish, overwrite=overwrite)
    report = ImportReport()
    if dry_run:
        report.external_ids = [r.data["external_id"] for r in records]
        return report
    with transaction.atomic():
        errors: list[LineError] = []
        iterable = progress(records) if progress else records
        for record in iterable:
            if keep_existing and _find_page(record.data["external_id"]) is not None:
                report.kept += 1
                report.external_ids.append(record.data["external_id"])
                continue
            held = record.data["external_id"] in keep_unpublished
            try:
                with transaction.atomic():  # a savepoint: the lines after a refused one are still tried
                    _apply(record, publish=publish and not held, demo=demo, report=report, source=source, user=user)
            except ValidationError as exc:
                errors.extend(_line_errors(record.line, exc))
                if len(errors) >= MAX_ERRORS:
                    break
        if errors:
            raise ImportValidationError(errors)  # leaving the transaction with it rolls every line back
    return report


def _check_site_edits(records: list[Record], *, publish: bool, overwrite: bool) -> None:
    """Refuse (every) line that would replace an edit made on the site since its file was exported or imported."""
    errors = []
    for record in records:
        page = _find_page(record.data["external_id"])
        if page is None:
            continue
        current = page.get_latest_revision_as_object()
        up_to_date = page.live and not page.has_unpublished_changes
        record.unchanged = normalized(export_record(current)) == normalized(record.data) and (up_to_date or not publish)
        if record.unchanged:
            continue
        record.site_edit = site_edit_since(page, exported_at=record.data.get(MARKER))
        if record.site_edit is not None and not overwrite:
            errors.append(LineError(record.line, "", f"{describe(record.site_edit)}; export again or use --overwrite"))
    if errors:
        raise ImportValidationError(errors)


def _line_errors(line: int, exc: ValidationError) -> list[LineError]:
    """A model's refusal while writing, as the import's errors (`line N: field: reason`)."""
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"(page)": exc.messages}
    return [
        LineError(line, "(page)" if name == "__all__" else name, "; ".join(map(str, texts)))
        for name, texts in messages.items()
    ]


def _find_page(external_id: str) -> CaseStudyPage | None:
    page = CaseStudyPage.objects.filter(external_id=external_id).first()
    if page is None and external_id.startswith("page-") and external_id[5:].isdigit():
        page = CaseStudyPage.objects.filter(pk=int(external_id[5:]), external_id__isnull=True).first()
    return page


def _apply(record: Record, *, publish: bool, demo: bool, report: ImportReport, source: str, user=None) -> None:
    """Write one line (raises ValidationError with the model's reasons; the caller rolls back)."""
    data = record.data
    parent = RegionPage.objects.filter(region=record.region).first() or region_page_create(region=record.region)
    page = _find_page(data["external_id"])
    report.external_ids.append(data["external_id"])
    if page is not None:
        if record.unchanged:
            report.unchanged += 1
            return
        page = page.get_latest_revision_as_object()
        if page.get_parent().pk != parent.pk:
            page.move(parent, pos="last-child")
            page = CaseStudyPage.objects.get(pk=page.pk).get_latest_revision_as_object()
        report.updated += 1
    else:
        page = CaseStudyPage(live=False, is_demo=demo)
        report.created += 1

    page.title = data["title"].strip()
    page.external_id = data["external_id"].strip()
    page.summary = plain_text(data["summary"])
    for name in TEXT_SECTIONS:
        setattr(page, name, sanitize_richtext_source(data.get(name) or ""))
    body = sanitize_richtext_source(data.get("body_html") or "")
    page.body = [("paragraph", RichText(body))] if body else []
    page.year_start = data["year_start"]
    page.year_end = data.get("year_end")
    page.status = data.get("status") or CaseStudyPage.Status.ACTIVE
    page.cost_idr = data.get("cost_idr")
    page.contact_name = data.get("contact_name") or ""
    page.contact_role = data.get("contact_role") or ""
    page.contact_email = data.get("contact_email") or ""
    page.indicator_claims = [
        CaseStudyIndicator(indicator=indicator, level_before=before, level_after=after, sort_order=i)
        for i, (indicator, before, after) in enumerate(record.claims)
    ]
    tags = [t.strip() for t in data["tags"]]
    if tags:
        page.tags.set(tags, clear=True)
    else:
        page.tags.clear()

    # A draft is saved with Wagtail's minimal checks: the model's field rules first, so a value too long is an
    # error on its line and not the database's (PostgreSQL) or a value stored unchecked (SQLite).
    page.clean_fields(exclude=[f.name for f in CaseStudyPage._meta.concrete_fields if f.name not in WRITTEN_FIELDS])
    if page.pk is None:
        page.slug = _unique_slug(parent, page.title)
        parent.add_child(instance=page)
    elif not page.live:
        page.save(clean=False)  # a draft's row follows its latest revision, as in the editor
    revision = page.save_revision(clean=True, user=user)
    log_import(page=page, revision=revision, overwritten=record.site_edit, source=source, user=user)
    if record.site_edit is not None:
        report.overwritten += 1
    if publish:
        revision.publish(user=user)
        report.published += 1


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:70] or "praktik-baik"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
