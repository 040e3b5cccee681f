"""Uploads in the admin, each a preview → confirm flow (casestudies/uploads.py) over the import code the commands use:

- Penilaian mandiri (`/admin/penilaian-mandiri/`): a region's indicator levels, CSV or XLSX, the columns of
  `import_scores` (casestudies/scores/importer.py), stored with origin `self_assessed`; officers for their own
  region, moderators for any. The XLSX template lists the 47 indicators with their level names.
- Impor praktik baik (`/admin/impor-praktik-baik/`): case studies, JSONL or CSV, the contract of
  `import_casestudies` (casestudies/exchange.py); officers only under their own region and only as drafts,
  moderators anywhere and may publish.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wagtail.log_actions import log

import openpyxl
from openpyxl.worksheet.datavalidation import DataValidation

from .exchange import import_records, preview_records, read_record_content
from .models import Framework, Indicator, Origin, Region
from .models.uploads import PendingUpload
from .onboarding import officer_region_page
from .scores.import_rows import INDICATOR, LEVEL_MAX, LEVEL_MIN
from .scores.importer import CREATE, KEEP, SOURCE_MAX, UNCHANGED, UPDATE, import_score_content
from .uploads import UploadFlow, upload_flow_view

LOG_SELF_ASSESSMENT = "livinglab.scores.self_assessment"
SCORE_SUFFIXES = (".csv", ".xlsx")
CASE_STUDY_SUFFIXES = (".jsonl", ".csv")
PREVIEW_ROWS = 300  # the preview lists this many lines, then says how many more
TEMPLATE_COLUMNS = ("region_code", "year", "indicator", "level")


@dataclass(frozen=True)
class UploadScope:
    """Whose data a user may upload: every region (moderators) or their own region (officers)."""

    region: Region | None  # None: every region

    @property
    def region_ids(self) -> frozenset[int] | None:
        return None if self.region is None else frozenset({self.region.pk})

    @property
    def region_codes(self) -> frozenset[str] | None:
        return None if self.region is None else frozenset({self.region.code})

    @property
    def may_publish(self) -> bool:
        return self.region is None


def is_moderator(user) -> bool:
    return user.is_active and user.has_perm("casestudies.change_region")


def upload_scope(user) -> UploadScope | None:
    """None when the user may not upload at all."""
    if not user.is_active:
        return None
    if is_moderator(user):
        return UploadScope(None)
    region_page = officer_region_page(user)
    return UploadScope(region_page.region) if region_page is not None else None


def _scope_or_403(request) -> UploadScope:
    scope = upload_scope(request.user)
    if scope is None:
        raise PermissionDenied
    return scope


# ---------------------------------------------------------------- penilaian mandiri


ACTION_LABELS = {
    CREATE: lambda: _("baru"),
    UPDATE: lambda: _("diubah"),
    UNCHANGED: lambda: _("tetap sama"),
    KEEP: lambda: _("tidak ditulis: nilai hasil impor dipertahankan"),
}


def _score_source(name: str) -> str:
    return f"Penilaian mandiri {name}"[:SOURCE_MAX]


def _score_preview(scope: UploadScope):
    def preview(name: str, content: bytes, options: dict) -> dict:
        report = import_score_content(
            name,
            content,
            source=_score_source(name),
            dry_run=True,
            origin=Origin.SELF_ASSESSED,
            allowed_region_ids=scope.region_ids,
            with_changes=True,
        )
        changes = sorted(report.changes, key=lambda c: (c.row.region_id, c.row.year, c.row.number))
        shown = changes[:PREVIEW_ROWS]
        regions = Region.objects.in_bulk({c.row.region_id for c in shown})
        framework = Framework.current()
        indicators = {
            i.number: i for i in Indicator.objects.filter(framework=framework).prefetch_related("scale__levels")
        }
        rows = []
        for change in shown:
            indicator = indicators[change.row.number] if change.row.kind == INDICATOR else None
            level_names = (
                {lvl.level: lvl.display_name for lvl in indicator.scale.levels.all()}
                if indicator and indicator.scale
                else {}
            )
            rows.append(
                {
                    "line": change.row.line,
                    "region": regions[change.row.region_id],
                    "year": change.row.year,
                    "indicator": indicator,
                    "level": change.row.level,
                    "level_name": level_names.get(change.row.level, ""),
                    "stored": change.stored,
                    "stored_origin": Origin(change.stored_origin).label if change.stored_origin else "",
                    "action": change.action,
                    "action_label": ACTION_LABELS[change.action](),
                }
            )
        return {"report": report, "rows": rows, "more": len(changes) - len(shown)}

    return preview


def _score_write(scope: UploadScope, user):
    def write(name: str, content: bytes, options: dict) -> str:
        report = import_score_content(
            name,
            content,
            source=_score_source(name),
            origin=Origin.SELF_ASSESSED,
            allowed_region_ids=scope.region_ids,
            with_changes=True,
        )
        for region in Region.objects.filter(pk__in={change.row.region_id for change in report.changes}):
            log(
                instance=region,
                action=LOG_SELF_ASSESSMENT,
                user=user,
                data={"file": name, "created": report.created, "updated": report.updated, "kept": report.kept},
            )
        return _(
            "%(name)s tersimpan: %(created)s tingkat baru, %(updated)s diubah, %(unchanged)s tetap sama, "
            "%(kept)s tidak ditulis (nilai hasil impor dipertahankan)."
        ) % {
            "name": name,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "kept": report.kept,
        }

    return write


@never_cache
@require_http_methods(["GET", "POST"])
def self_assessment(request):
    """Admin, officers (own region) and moderators (any): upload indicator levels, preview, confirm."""
    scope = _scope_or_403(request)
    flow = UploadFlow(
        kind=PendingUpload.Kind.SCORES,
        suffixes=SCORE_SUFFIXES,
        template="casestudies/admin/self_assessment.html",
        preview=_score_preview(scope),
        write=_score_write(scope, request.user),
        context={"scope": scope},
    )
    return upload_flow_view(request, flow)


@never_cache
@require_GET
def self_assessment_template(request):
    """The XLSX template: one row per indicator (region code filled for officers), and a sheet naming the levels."""
    scope = _scope_or_403(request)
    framework = Framework.current()
    indicators = list(
        Indicator.objects.filter(framework=framework)
        .select_related("aspect__domain", "scale")
        .prefetch_related("scale__levels")
        .order_by("number")
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Penilaian mandiri"
    sheet.append(TEMPLATE_COLUMNS)
    year = timezone.localdate().year
    code = scope.region.code if scope.region else ""
    for indicator in indicators:
        sheet.append([code, year, indicator.number, None])
    levels = DataValidation(
        type="whole",
        operator="between",
        formula1=str(LEVEL_MIN),
        formula2=str(LEVEL_MAX),
        showErrorMessage=True,
        error=_("Tingkat harus bilangan bulat 1–5."),
    )
    sheet.add_data_validation(levels)
    levels.add(f"D2:D{len(indicators) + 1}")
    for column in "ABC":
        for cell in sheet[column][1:]:
            cell.number_format = "@" if column == "A" else "0"
    sheet.column_dimensions["A"].width = 14
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_("Indikator"))
    guide.append(
        [_("Nomor"), _("Indikator"), _("Aspek"), *(_("Tingkat %(level)s") % {"level": n} for n in range(1, 6))]
    )
    for indicator in indicators:
        names = {lvl.level: lvl.display_name for lvl in indicator.scale.levels.all()} if indicator.scale else {}
        guide.append(
            [
                indicator.number,
                indicator.display_name,
                indicator.aspect.display_name,
                *(names.get(n, "") for n in range(1, 6)),
            ]
        )
    guide.append([])
    guide.append(
        [
            _(
                "Isi kolom level (1–5) di lembar pertama untuk setiap indikator; hapus baris indikator yang tidak "
                "dinilai. Lembar ini hanya petunjuk dan tidak dibaca saat diunggah."
            )
        ]
    )
    guide.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"penilaian-mandiri-{code.replace('.', '-') or 'daerah'}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- impor praktik baik


def _case_study_options(scope: UploadScope):
    def options(post) -> dict:
        return {"publish": scope.may_publish and post.get("publish") == "on"}

    return options


def _case_study_preview(scope: UploadScope):
    def preview(name: str, content: bytes, options: dict) -> dict:
        records = read_record_content(_suffix(name), content)
        changes = preview_records(records, publish=options.get("publish", False), region_codes=scope.region_codes)
        counts = {action: sum(1 for c in changes if c.action == action) for action in ("create", "update", "unchanged")}
        return {"changes": changes[:PREVIEW_ROWS], "more": max(0, len(changes) - PREVIEW_ROWS), "counts": counts}

    return preview


def _case_study_write(scope: UploadScope, user):
    def write(name: str, content: bytes, options: dict) -> str:
        report = import_records(
            read_record_content(_suffix(name), content),
            source=name,
            publish=scope.may_publish and options.get("publish", False),  # never an officer's
            region_codes=scope.region_codes,
            user=user,
        )
        return _(
            "%(name)s tersimpan: %(created)s praktik baik baru, %(updated)s diperbarui, %(unchanged)s tetap sama, "
            "%(published)s diterbitkan."
        ) % {
            "name": name,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "published": report.published,
        }

    return write


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


@never_cache
@require_http_methods(["GET", "POST"])
def case_study_import(request):
    """Admin, officers (own region, drafts) and moderators (any, may publish): upload case studies, preview, confirm."""
    scope = _scope_or_403(request)
    flow = UploadFlow(
        kind=PendingUpload.Kind.CASE_STUDIES,
        suffixes=CASE_STUDY_SUFFIXES,
        template="casestudies/admin/case_study_import.html",
        preview=_case_study_preview(scope),
        write=_case_study_write(scope, request.user),
        options=_case_study_options(scope),
        context={"scope": scope},
    )
    return upload_flow_view(request, flow)
