"""Learning paths: on every indicator, the step from level a to a+1 (a = 1…4), the case studies that covered it
and the regions that made it.

- A case study **covers** step a→a+1 when its claim on the indicator has before ≤ a and after ≥ a+1 (a claim 1→4
  covers three steps). Verified claims come first, then self-reported ones; newest first within each.
- A region **made** step a→a+1 when, between two consecutive evaluations of its own (years with a level for the
  indicator), its level went from ≤ a to ≥ a+1; the latest such pair counts. `median_years` is the median gap
  between those two evaluations over the regions that made the step.
- With a region to learn for, similar regions come first: the same type (kabupaten/kota), then the same province.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

from .models import CaseStudyIndicator, CaseStudyPage, Indicator, IndicatorScore, Origin, Region
from .models.regions import REGION_CODE
from .models.taxonomy import STEP_STARTS
from .selectors import case_studies_live, region_of_user


@dataclass
class StepCaseStudy:
    page: CaseStudyPage
    before: int
    after: int
    verified: bool


@dataclass
class StepRegion:
    region: Region
    from_year: int
    to_year: int
    from_level: int
    to_level: int
    is_demo: bool
    has_case_study: bool = False


@dataclass
class Step:
    start: int  # the step goes from `start` to `start + 1`
    criteria_from: str
    criteria_to: str
    case_studies: list[StepCaseStudy] = field(default_factory=list)
    regions: list[StepRegion] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + 1

    @property
    def all_demo(self) -> bool:
        return bool(self.regions) and all(r.is_demo for r in self.regions)

    @property
    def median_years(self) -> float | None:
        gaps = [r.to_year - r.from_year for r in self.regions]
        return float(median(gaps)) if gaps else None


def covers(before: int | None, after: int | None, start: int) -> bool:
    """Whether a claim before→after covers the step start→start+1."""
    return before is not None and after is not None and before <= start and after >= start + 1


def step_made(series: dict[int, int], start: int) -> tuple[int, int] | None:
    """The latest pair of consecutive evaluation years (y1, y2) in which the level went from ≤ start to > start."""
    years = sorted(series)
    made = None
    for y1, y2 in zip(years, years[1:], strict=False):
        if series[y1] <= start < series[y2]:
            made = (y1, y2)
    return made


def learning_path(indicator: Indicator, *, region: Region | None = None, steps=None) -> list[Step]:
    """The steps of an indicator (all four, or the `steps` starts asked for), with what covered and made each."""
    starts = list(steps) if steps is not None else list(STEP_STARTS)
    criteria = {c.level: c.text_id for c in indicator.criteria.all()}
    path = [Step(start, criteria.get(start, ""), criteria.get(start + 1, "")) for start in starts]
    claims = _claims(indicator)
    series, demo = _series(indicator)
    regions = Region.objects.in_bulk(list(series))
    for step in path:
        step.case_studies = _ordered([c for c in claims if covers(c.before, c.after, step.start)])
        with_case_study = {c.page.region_code for c in step.case_studies}
        for region_id, levels in series.items():
            years = step_made(levels, step.start)
            if years is None or (region is not None and region_id == region.pk):
                continue  # the region learning is no peer of its own
            made_by = regions[region_id]
            step.regions.append(
                StepRegion(
                    region=made_by,
                    from_year=years[0],
                    to_year=years[1],
                    from_level=levels[years[0]],
                    to_level=levels[years[1]],
                    is_demo=region_id in demo,
                    has_case_study=made_by.code in with_case_study,
                )
            )
        step.regions.sort(key=_similar_first(region))
    return path


def _claims(indicator: Indicator) -> list[StepCaseStudy]:
    """The public case studies' claims on the indicator that give both levels (one per case study)."""
    claims = CaseStudyIndicator.objects.filter(
        indicator=indicator, level_before__isnull=False, level_after__isnull=False
    ).order_by("sort_order", "pk")
    first_claim = {}
    for claim in claims.filter(page__in=case_studies_live().values("pk")):
        first_claim.setdefault(claim.page_id, claim)
    pages = case_studies_live().filter(pk__in=first_claim).prefetch_related("attachments__document")
    return [
        StepCaseStudy(
            page=page,
            before=first_claim[page.pk].level_before,
            after=first_claim[page.pk].level_after,
            verified=first_claim[page.pk].verified,
        )
        for page in pages
    ]


def _ordered(claims: list[StepCaseStudy]) -> list[StepCaseStudy]:
    newest_first = sorted(
        claims, key=lambda c: c.page.first_published_at or c.page.latest_revision_created_at, reverse=True
    )
    return sorted(newest_first, key=lambda c: not c.verified)  # stable: verified first, newest first within each


def _series(indicator: Indicator) -> tuple[dict[int, dict[int, int]], set[int]]:
    """region id → {year: level} on the indicator (evaluations: a region's own self-assessment makes no step
    others learn from), and the regions whose levels include demo data."""
    series: dict[int, dict[int, int]] = defaultdict(dict)
    demo = set()
    evaluated = IndicatorScore.objects.filter(indicator=indicator).exclude(origin=Origin.SELF_ASSESSED)
    for region_id, year, level, is_demo in evaluated.values_list("region_id", "year", "level", "is_demo"):
        series[region_id][year] = level
        if is_demo:
            demo.add(region_id)
    return series, demo


def _similar_first(region: Region | None):
    def key(made: StepRegion):
        other = made.region
        if region is None:
            return (0, 0, -made.to_year, other.name)
        return (other.type != region.type, other.province_id != region.province_id, -made.to_year, other.name)

    return key


def artefacts(step: Step) -> list:
    """(attachment, case study) of the case studies that covered the step: regulations, SOPs, architecture
    documents to reuse."""
    return [
        (attachment, covered.page) for covered in step.case_studies for attachment in covered.page.attachments.all()
    ]


def region_to_learn_for(request) -> tuple[Region | None, str]:
    """The region a path is ordered for: `?for_region=CODE`, else the signed-in officer's own; and the code asked
    for when it names no region (the page says so)."""
    code = request.GET.get("for_region", "").strip()
    if code:
        region = Region.objects.filter(code=code).first() if REGION_CODE.fullmatch(code) else None
        return region, "" if region else code[:20]
    return region_of_user(request.user), ""


def current_level(region: Region, indicator: Indicator) -> int | None:
    """The region's level on the indicator in its latest evaluation (None when it has none)."""
    return (
        IndicatorScore.objects.filter(region=region, indicator=indicator)
        .order_by("-year")
        .values_list("level", flat=True)
        .first()
    )
