"""Query-string parameters → SearchRequest, with a reason per bad parameter (the API answers 400 with them)."""

from django.utils.translation import gettext as _

from casestudies.models import CaseStudyPage, Region
from casestudies.selectors import region_of_user
from cms.integers import ascii_int

from .backends.base import SORTS, Filters
from .service import PER_PAGE, SearchRequest

MAX_PAGE = 1000
MAX_PER_PAGE = 50
MAX_QUERY = 200
MAX_VALUES = 20


class SearchParamsError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _not_an_int(low, high, value) -> str:
    return _("harus bilangan bulat %(low)s–%(high)s, bukan %(value)r") % {"low": low, "high": high, "value": value[:20]}


def _ints(params, name, low, high, errors) -> tuple[int, ...]:
    values = []
    for raw in params.getlist(name)[:MAX_VALUES]:
        for part in filter(None, (p.strip() for p in raw.split(","))):
            value = ascii_int(part, low=low, high=high)
            if value is None:
                errors[name] = _not_an_int(low, high, part)
            else:
                values.append(value)
    return tuple(dict.fromkeys(values))


def _strings(params, name) -> tuple[str, ...]:
    values = [p.strip() for raw in params.getlist(name)[:MAX_VALUES] for p in raw.split(",")]
    return tuple(dict.fromkeys(v[:100] for v in values if v))


def _one_int(params, name, low, high, errors, default=None):
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    value = ascii_int(raw, low=low, high=high)
    if value is None:
        errors[name] = _not_an_int(low, high, raw)
        return default
    return value


def request_from_params(params, *, user=None) -> SearchRequest:
    errors: dict[str, str] = {}
    q = (params.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        errors["q"] = _("terlalu panjang (maksimal %(max)s karakter)") % {"max": MAX_QUERY}
    low, high = CaseStudyPage.YEAR_RANGE
    year_from = _one_int(params, "year_from", low, high, errors)
    year_to = _one_int(params, "year_to", low, high, errors)
    if year_from and year_to and year_from > year_to:
        errors["year_to"] = _("tidak boleh sebelum year_from")
    statuses = _strings(params, "status")
    bad = [s for s in statuses if s not in CaseStudyPage.Status.values]
    if bad:
        errors["status"] = _("nilai yang dikenal: %(values)s") % {"values": ", ".join(CaseStudyPage.Status.values)}
    region_types = _strings(params, "region_type")
    if any(t not in Region.Type.values for t in region_types):
        errors["region_type"] = _("nilai yang dikenal: %(values)s") % {"values": ", ".join(Region.Type.values)}
    sort = (params.get("sort") or "relevance").strip()
    if sort not in SORTS:
        errors["sort"] = _("nilai yang dikenal: %(values)s") % {"values": ", ".join(SORTS)}
    verified = (params.get("verified") or "").strip().lower()
    if verified not in ("", "0", "1", "true", "false"):
        errors["verified"] = _("gunakan 1 atau 0")
    searcher = None
    for_region = (params.get("for_region") or "").strip()
    if for_region:
        searcher = Region.objects.filter(code=for_region).first()
        if searcher is None:
            errors["for_region"] = _("kode daerah tidak dikenal: %(code)r") % {"code": for_region}
    filters = Filters(
        indicators=_ints(params, "indicator", 1, 99, errors),
        aspects=_ints(params, "aspect", 1, 99, errors),
        domains=_ints(params, "domain", 1, 99, errors),
        regions=_strings(params, "region"),
        provinces=_strings(params, "province"),
        region_types=region_types,
        year_from=year_from,
        year_to=year_to,
        statuses=statuses,
        tags=_strings(params, "tag"),
        verified_only=verified in ("1", "true"),
    )
    page = _one_int(params, "page", 1, MAX_PAGE, errors, default=1)
    per_page = _one_int(params, "per_page", 1, MAX_PER_PAGE, errors, default=PER_PAGE)
    if errors:
        raise SearchParamsError(errors)
    return SearchRequest(
        q=q,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
        region=searcher or region_of_user(user),
    )
