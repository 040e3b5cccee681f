"""The case-study record of the JSONL/CSV contract (docs/import-export.md): its fields, a page as a record, a
record as it would be stored (to compare an incoming line with a page), and the export. The import:
casestudies.exchange.

Each exported record names the revision its content is (`revision`): the import refuses a line whose page was
edited on the site since (casestudies.site_edits)."""

import csv
import json
from collections.abc import Iterable, Iterator

from cms.sanitize import plain_text, sanitize_richtext_source
from cms.spreadsheet_csv import spreadsheet_cell

from .models import CaseStudyPage
from .site_edits import revision_marker

TEXT_SECTIONS = CaseStudyPage.RICH_TEXT_FIELDS
REQUIRED = ("external_id", "title", "region_code", "summary", "body_html", "indicators", "tags", "year_start")
OPTIONAL = ("year_end", "levels", "status", "cost_idr", "contact_name", "contact_role", "contact_email", *TEXT_SECTIONS)
CONTENT = (*REQUIRED, *OPTIONAL)  # what a page holds; FIELDS adds the marker of the export
MARKER = "revision"
FIELDS = (*CONTENT, MARKER)


def export_record(page: CaseStudyPage, *, revision: str | None = None) -> dict:
    """`page` as a record; `revision`: the marker of the revision its content is (revision_marker)."""
    claims = list(page.indicator_claims.all())
    body = "".join(
        block.value.source if block.block_type == "paragraph" else f"<h3>{block.value}</h3>"
        for block in page.body
        if block.block_type in ("paragraph", "heading")
    )
    record = {
        "external_id": page.external_id or f"page-{page.pk}",
        "title": page.title,
        "region_code": page.region.code,
        "summary": page.summary,
        "body_html": body,
        "indicators": [c.indicator.number for c in claims],
        "tags": sorted(t.name for t in page.tags.all()),
        "year_start": page.year_start,
        "year_end": page.year_end,
        "levels": {
            str(c.indicator.number): [c.level_before, c.level_after]
            for c in claims
            if c.level_before is not None or c.level_after is not None
        },
        "status": page.status,
        "cost_idr": page.cost_idr,
        "contact_name": page.contact_name,
        "contact_role": page.contact_role,
        "contact_email": page.contact_email,
    }
    record.update({name: getattr(page, name) for name in TEXT_SECTIONS})
    record[MARKER] = revision
    return record


def normalized(record: dict) -> dict:
    """A record as it would be stored, for comparing an incoming line with a page."""
    out = {name: record.get(name) for name in CONTENT}
    out["summary"] = plain_text(out["summary"])
    out["title"] = (out["title"] or "").strip()
    for name in (*TEXT_SECTIONS, "body_html"):
        out[name] = sanitize_richtext_source(out[name] or "")
    for name in ("contact_name", "contact_role", "contact_email"):
        out[name] = out[name] or ""
    out["status"] = out["status"] or CaseStudyPage.Status.ACTIVE
    out["tags"] = sorted({t.strip().lower() for t in out["tags"] or []})  # tags are case-insensitive
    out["levels"] = {k: list(v) for k, v in (out["levels"] or {}).items() if v and any(x is not None for x in v)}
    return out


def pages_to_export(*, include_drafts: bool) -> Iterator[tuple[CaseStudyPage, str | None]]:
    """Each case study as exported (live, or its latest revision with drafts) and the marker of that revision."""
    pages = CaseStudyPage.objects.order_by("path").select_related("live_revision", "latest_revision")
    if not include_drafts:
        pages = pages.live()
    for page in pages:
        if include_drafts:
            yield page.get_latest_revision_as_object(), revision_marker(page.latest_revision)
        else:
            yield page, revision_marker(page.live_revision or page.latest_revision)


def export_pages(pages: Iterable[tuple[CaseStudyPage, str | None]], fmt: str, stream) -> int:
    """Write (page, revision marker) pairs as JSONL or CSV; the number written."""
    count = 0
    if fmt == "jsonl":
        for page, revision in pages:
            stream.write(json.dumps(export_record(page, revision=revision), ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(stream, fieldnames=list(FIELDS), lineterminator="\n")
    writer.writeheader()
    for page, revision in pages:
        record = export_record(page, revision=revision)
        record["indicators"] = ";".join(str(n) for n in record["indicators"])
        record["tags"] = ";".join(record["tags"])
        record["levels"] = ";".join(
            f"{k}:{'' if b is None else b}-{'' if a is None else a}" for k, (b, a) in record["levels"].items()
        )
        # Officers edit this file in a spreadsheet: cells are neutralised, and the importer reads them back.
        writer.writerow({k: "" if v is None else spreadsheet_cell(v) for k, v in record.items()})
        count += 1
    return count
