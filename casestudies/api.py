"""JSON API v1 for scores and peers (documented in docs/api.md). Read-only, public data.

Errors are JSON with a reason: 404 for an unknown region code, 400 for bad parameters.
"""

from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from cms.public_urls import public_url

from .models import Aspect, Domain, Framework, Indicator, Region
from .peers import peers_for
from .scores.selectors import region_profile
from .scores.targets import Target

MAX_LIMIT = 50


class BadRequest(Exception):
    pass


def _error(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


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


def _get_region(code: str) -> tuple[Region | None, JsonResponse | None]:
    region = Region.objects.select_related("province").filter(code=code).first()
    if region is None:
        return None, _error(404, f"Unknown region code {code!r} (use a Kemendagri code such as '32.11').")
    return region, None


@require_GET
def region_scores(request, code: str):
    region, error = _get_region(code)
    if error:
        return error
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
            "precedence": ["official", "imported", "computed"],
            "years": years,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _int_param(request, name: str, *, low: int | None = None, high: int | None = None) -> int | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"'{name}' must be a whole number, got {raw!r}.") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise BadRequest(f"'{name}' must be between {low} and {high}, got {value}.")
    return value


def parse_target(request, framework: Framework) -> Target:
    given = [name for name in ("domain", "aspect", "indicator") if request.GET.get(name) not in (None, "")]
    if len(given) > 1:
        raise BadRequest(f"Give one of domain, aspect or indicator, not {' and '.join(given)}.")
    if not given:
        if request.GET.get("index") is not None:
            return Target("index", 0, framework)
        raise BadRequest("Give one of domain=N, aspect=N or indicator=N (or index=1 for the SPBE index).")
    scope = given[0]
    number = _int_param(request, scope, low=1, high=999)
    model = {"domain": Domain, "aspect": Aspect, "indicator": Indicator}[scope]
    if not model.objects.filter(framework=framework, number=number).exists():
        raise BadRequest(f"No {scope} {number} in framework {framework.slug}.")
    return Target(scope, number, framework)


@require_GET
def region_peers(request, code: str):
    region, error = _get_region(code)
    if error:
        return error
    framework = Framework.current()
    try:
        target = parse_target(request, framework)
        limit = _int_param(request, "limit", low=1, high=MAX_LIMIT) or 10
        from_year = _int_param(request, "from_year", low=1990, high=2100)
        to_year = _int_param(request, "to_year", low=1990, high=2100)
        if (from_year is None) != (to_year is None):
            raise BadRequest("Give both from_year and to_year, or neither.")
        if from_year is not None and from_year >= to_year:
            raise BadRequest("from_year must be before to_year.")
    except BadRequest as exc:
        return _error(400, str(exc))
    lang = request.GET.get("lang") or translation.get_language() or "id"
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
                    "reason": p.reason_en if lang.startswith("en") else p.reason_id,
                    "reason_id": p.reason_id,
                    "reason_en": p.reason_en,
                    "case_studies": [
                        {"title": cs.title, "url": public_url(cs.url), "verified": cs.verified} for cs in p.case_studies
                    ],
                }
                for p in peers
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
