"""Level claims of case studies: the rule that verifies them (`verified_claims`, `claim_is_verified`) and keeping
each claim's stored "verified" flag current (`claims_verify`).

A claim is verified when the region's own indicator scores moved the way it says over the practice's period.
The flag is stored on the claim so peer lists read it; it is recomputed when a case study is published (its
claims are new) and whenever scores are written (for the regions written).
"""

import operator
from collections import defaultdict
from functools import reduce

from django.db.models import Q

from wagtail.models import Page

from ..models import CaseStudyIndicator, CaseStudyPage, IndicatorScore, Origin, RegionPage
from ..signals import case_studies_changed

# Beyond this many regions, re-checking every claim is cheaper than selecting the regions' claims by path.
MAX_SELECTED_REGIONS = 20


def attach_region_codes(pages) -> None:
    """Set `region_code` on each case study page from its parent region page (one query)."""
    parents = {page.path[: -Page.steplen] for page in pages}
    code_by_path = dict(RegionPage.objects.filter(path__in=parents).values_list("path", "region__code"))
    for page in pages:
        page.region_code = code_by_path.get(page.path[: -Page.steplen])


def claims_verify(*, page_ids=None, region_ids=None, announce: bool = True) -> set[int]:
    """Recompute the flag of the claims of these pages, or of these regions' pages (default: all).

    Returns the ids of the case studies with a claim whose flag flipped, and announces them
    (`case_studies_changed`: search re-indexes exactly those, so its "verified" filter agrees) unless the caller
    announces them itself (`announce=False`: the publish path, which announces the page once, after this).
    """
    claims = CaseStudyIndicator.objects.only("pk", "page_id", "indicator_id", "level_before", "level_after", "verified")
    if page_ids is not None:
        claims = claims.filter(page_id__in=list(page_ids))
    pages = CaseStudyPage.objects.only("pk", "path", "year_start", "year_end")
    if region_ids is not None and len(region_ids) <= MAX_SELECTED_REGIONS:
        prefixes = list(RegionPage.objects.filter(region_id__in=list(region_ids)).values_list("path", flat=True))
        if not prefixes:
            return set()
        pages = pages.filter(reduce(operator.or_, (Q(path__startswith=prefix) for prefix in prefixes)))
        claims = claims.filter(page__in=pages)
    claims = list(claims)
    if not claims:
        return set()
    pages_by_id = pages.in_bulk({c.page_id for c in claims})
    attach_region_codes(pages_by_id.values())
    verified = verified_claims(claims, pages_by_id)
    changed = [c for c in claims if c.verified != verified.get(c.pk, False)]
    for claim in changed:
        claim.verified = not claim.verified
    CaseStudyIndicator.objects.bulk_update(changed, ["verified"], batch_size=1000)
    changed_pages = {c.page_id for c in changed}
    if changed_pages and announce:
        case_studies_changed.send(sender=CaseStudyIndicator, page_ids=changed_pages)
    return changed_pages


def verified_claims(claims, pages_by_id: dict[int, CaseStudyPage]) -> dict[int, bool]:
    """claim id → True when the region's scores for that indicator moved the way the claim says over the period.

    The period runs from the last evaluation at or before the case study's start year to the last one at or
    before its end year (or the latest). Claims without both levels are not checked (False: self-reported).
    """
    claims = [c for c in claims if c.level_before is not None and c.level_after is not None]
    if not claims:
        return {}
    region_of_page = {pid: p.region_code for pid, p in pages_by_id.items()}
    codes = set(region_of_page.values())
    scores = defaultdict(dict)
    # A region's self-assessment does not verify its own case studies' claims.
    rows = (
        IndicatorScore.objects.filter(region__code__in=codes, indicator_id__in={c.indicator_id for c in claims})
        .exclude(origin=Origin.SELF_ASSESSED)
        .values_list("region__code", "indicator_id", "year", "level")
    )
    for code, indicator_id, year, level in rows:
        scores[(code, indicator_id)][year] = level
    result = {}
    for claim in claims:
        page = pages_by_id[claim.page_id]
        series = scores.get((region_of_page[claim.page_id], claim.indicator_id), {})
        result[claim.pk] = claim_is_verified(claim, page.year_start, page.year_end, series)
    return result


def claim_is_verified(claim, year_start: int, year_end: int | None, series: dict[int, int]) -> bool:
    direction = (claim.level_after > claim.level_before) - (claim.level_after < claim.level_before)
    if direction == 0 or not series:
        return False
    years = sorted(series)
    starts = [y for y in years if y <= year_start] or years[:1]
    y1 = starts[-1]
    ends = [y for y in years if y > y1 and (year_end is None or y <= max(year_end, y1 + 1))]
    if not ends:
        return False
    y2 = ends[-1]
    moved = (series[y2] > series[y1]) - (series[y2] < series[y1])
    return moved == direction
