"""JSON API v1 for scores and peers (documented in docs/api.md and the OpenAPI schema, /api/v1/openapi.json).
Read-only, public data. The router is mounted by livinglab/api_v1.py.

Errors answer `{"error": …, "errors": {parameter: …}}` (cms/api.py): 404 for an unknown region code, 400 for bad
parameters, in Indonesian or, with `?lang=en`, English.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from ninja import Path, Router

from cms.api import LANG, UNICODE, ApiError, ErrorOut, Language
from cms.integers import ascii_int
from cms.public_urls import public_url

from .api_schema import (
    MAX_LIMIT,
    PATH_PARAMETERS,
    PEER_PARAMETERS,
    REGION_CODE_EXAMPLE,
    TARGET_NUMBERS,
    YEARS,
    LearningPathOut,
    PeersOut,
    ScoresOut,
)
from .learning_paths import learning_path, region_to_learn_for
from .models import Aspect, Domain, Framework, Indicator, IndicatorExplorerPage, Region
from .models.regions import REGION_CODE
from .models.scores import ORIGIN_PRECEDENCE
from .peers import peers_for
from .scores.selectors import region_profile
from .scores.targets import Target

router = Router(tags=["regions"])

CODE = Path(..., description="Kemendagri code of the region, e.g. 32.12.", example=REGION_CODE_EXAMPLE)
NUMBER = Path(..., description="The indicator's number in the current framework, e.g. 42.", example=42)


def _region_json(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "type": region.type,
        "province": region.province.code if region.province_id else None,
    }


def _value_json(value) -> dict | None:
    if value is None:
        return None
    return {
        "value": float(value.value),
        "origin": value.origin,
        "source": value.source,
        "is_demo": value.is_demo,
        **({"predicate": value.predicate} if value.predicate else {}),
        **({"other_origins": {k: float(v) for k, v in value.others.items()}} if value.others else {}),
    }


def _get_region(code: str) -> Region:
    region = None
    if REGION_CODE.fullmatch(code):
        region = Region.objects.select_related("province").filter(code=code).first()
    if region is None:
        reason = _("Kode daerah tidak dikenal: %(code)r (gunakan kode Kemendagri seperti '32.11').") % {"code": code}
        raise ApiError(404, reason, {"code": reason})
    return region


@router.get(
    "/regions/{code}/scores/",
    url_name="api-region-scores",
    response={200: ScoresOut, 404: ErrorOut, 400: ErrorOut},
    summary="A region's evaluation results, oldest year first",
)
def region_scores(request, code: str = CODE, lang: Language = LANG):
    region = _get_region(code)
    framework = Framework.current()
    years = []
    for profile in region_profile(region, framework):
        years.append(
            {
                "year": profile.year,
                "index": _value_json(profile.index),
                "domains": {str(n): _value_json(v) for n, v in sorted(profile.domains.items())},
                "aspects": {str(n): _value_json(v) for n, v in sorted(profile.aspects.items())},
                "indicators": {str(n): level for n, level in sorted(profile.indicators.items())},
                "indicators_are_demo": profile.indicators_demo,
            }
        )
    return JsonResponse(
        {
            "region": _region_json(region),
            "framework": framework.slug,
            "precedence": [origin.value for origin in ORIGIN_PRECEDENCE],
            "years": years,
        },
        json_dumps_params=UNICODE,
    )


def _bad(name: str, reason: str) -> ApiError:
    return ApiError(400, reason, {name: reason})


def _int_param(request, name: str, *, low: int, high: int) -> int | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise _bad(name, _("'%(name)s' harus bilangan bulat, bukan %(value)r.") % {"name": name, "value": raw[:20]})
    value = ascii_int(raw, low=low, high=high)
    if value is None:
        raise _bad(
            name,
            _("'%(name)s' harus antara %(low)s dan %(high)s, bukan %(value)s.")
            % {"name": name, "low": low, "high": high, "value": raw[:20]},
        )
    return value


def parse_target(request, framework: Framework) -> Target:
    scopes = ("domain", "aspect", "indicator")
    given = [name for name in scopes if request.GET.get(name) not in (None, "")]
    if len(given) > 1:
        reason = _("Berikan salah satu dari domain, aspect atau indicator, bukan %(given)s.") % {
            "given": _(" dan ").join(given)
        }
        raise ApiError(400, reason, dict.fromkeys(given, reason))
    if not given:
        if request.GET.get("index") is not None:
            return Target("index", 0, framework)
        reason = _("Berikan salah satu dari domain=N, aspect=N atau indicator=N (atau index=1 untuk indeks SPBE).")
        raise ApiError(400, reason, dict.fromkeys(scopes, reason))
    scope = given[0]
    number = _int_param(request, scope, low=TARGET_NUMBERS[0], high=TARGET_NUMBERS[1])
    model = {"domain": Domain, "aspect": Aspect, "indicator": Indicator}[scope]
    if not model.objects.filter(framework=framework, number=number).exists():
        raise _bad(
            scope,
            _("Tidak ada %(scope)s %(number)s dalam kerangka %(framework)s.")
            % {"scope": scope, "number": number, "framework": framework.slug},
        )
    return Target(scope, number, framework)


def _years(request) -> tuple[int | None, int | None]:
    from_year = _int_param(request, "from_year", low=YEARS[0], high=YEARS[1])
    to_year = _int_param(request, "to_year", low=YEARS[0], high=YEARS[1])
    if (from_year is None) != (to_year is None):
        missing = "to_year" if to_year is None else "from_year"
        raise _bad(missing, _("Berikan from_year dan to_year sekaligus, atau tidak keduanya."))
    if from_year is not None and from_year >= to_year:
        raise _bad("from_year", _("from_year harus sebelum to_year."))
    return from_year, to_year


@router.get(
    "/regions/{code}/peers/",
    url_name="api-region-peers",
    response={200: PeersOut, 400: ErrorOut, 404: ErrorOut},
    summary="Regions that improved where this one can learn",
    openapi_extra={"parameters": PEER_PARAMETERS},
)
def region_peers(request, code: str = CODE, lang: Language = LANG):
    region = _get_region(code)
    framework = Framework.current()
    target = parse_target(request, framework)
    limit = _int_param(request, "limit", low=1, high=MAX_LIMIT) or 10
    from_year, to_year = _years(request)
    peers = peers_for(region, target, from_year=from_year, to_year=to_year, limit=limit)
    return JsonResponse(
        {
            "region": _region_json(region),
            "target": {"scope": target.scope, "number": target.number, "name": target.label_id},
            "from_year": peers[0].from_year if peers else from_year,
            "to_year": peers[0].to_year if peers else to_year,
            "peers": [
                {
                    "code": p.region.code,
                    "name": p.region.name,
                    "type": p.region.type,
                    "before": float(p.before),
                    "after": float(p.after),
                    "years": [p.from_year, p.to_year],
                    "delta": round(float(p.delta), 3),
                    "score": p.score,
                    "origin": p.origin,
                    "is_demo": p.is_demo,
                    "reason": p.reason_en if lang == "en" else p.reason_id,
                    "reason_id": p.reason_id,
                    "reason_en": p.reason_en,
                    "case_studies": [
                        {
                            "title": cs.title,
                            "url": public_url(cs.url),
                            "verified": cs.verified,
                            "replications": cs.replications,
                        }
                        for cs in p.case_studies
                    ],
                }
                for p in peers
            ],
        },
        json_dumps_params=UNICODE,
    )


@router.get(
    "/indicators/{number}/path/",
    url_name="api-indicator-path",
    by_alias=True,
    response={200: LearningPathOut, 400: ErrorOut, 404: ErrorOut},
    summary="An indicator's learning path: for each step a→a+1, the case studies that covered it and the regions that made it",
    openapi_extra={"parameters": PATH_PARAMETERS},
)
def indicator_path(request, number: str = NUMBER, lang: Language = LANG):
    framework = Framework.current()
    indicator, wanted = None, ascii_int(number, low=0, high=999)
    if framework is not None and wanted is not None:
        indicator = Indicator.objects.filter(framework=framework, number=wanted).first()
    if indicator is None:
        reason = _("Tidak ada indikator %(number)s dalam kerangka yang berlaku.") % {"number": repr(number[:20])}
        raise ApiError(404, reason, {"number": reason})
    region, unknown = region_to_learn_for(request)
    if unknown:
        raise _bad(
            "for_region",
            _("Kode daerah tidak dikenal: %(code)r (gunakan kode Kemendagri seperti '32.11').") % {"code": unknown},
        )
    explorer = IndicatorExplorerPage.objects.live().first()
    base = f"{explorer.url}{indicator.number}/langkah/" if explorer else None
    return JsonResponse(
        {
            "indicator": {
                "number": indicator.number,
                "name": indicator.name_en if lang == "en" and indicator.name_en else indicator.name_id,
            },
            "for_region": _region_json(region) if region else None,
            "steps": [
                {
                    "from": step.start,
                    "to": step.end,
                    "url": public_url(f"{base}{step.start}-{step.end}/") if base else "",
                    "criteria_from": step.criteria_from,
                    "criteria_to": step.criteria_to,
                    "case_studies": [
                        {
                            "title": c.page.title,
                            "url": public_url(c.page.url),
                            "region_code": c.page.region_code,
                            "levels": [c.before, c.after],
                            "verified": c.verified,
                        }
                        for c in step.case_studies
                    ],
                    "regions": [
                        {
                            "code": r.region.code,
                            "name": r.region.name,
                            "from_year": r.from_year,
                            "to_year": r.to_year,
                            "levels": [r.from_level, r.to_level],
                            "is_demo": r.is_demo,
                            "has_case_study": r.has_case_study,
                        }
                        for r in step.regions
                    ],
                    "median_years": step.median_years,
                }
                for step in learning_path(indicator, region=region)
            ],
        },
        json_dumps_params=UNICODE,
    )
