"""Helpers for the search page (templates/search/search_page.html): the form's facet state and pagination.

The form is the one source of the search's state, so a filter the user chose must stay in it even when no result
has that value any more (the facets only list values of the results): such values are added, checked, with 0.

The facet checkboxes are rendered here rather than by a template included per option: a broad query lists a few
hundred values (every tag of its results), and Django's template engine spends about 0.1 ms on each included
option, so the sidebar cost more than the search behind it (docs/performance.md, "Load").
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from casestudies.models import Aspect, CaseStudyPage, Domain, Framework, Region
from cms.integers import ascii_int
from search.backends.base import FACETS

register = template.Library()

CHECKBOX_FACETS = tuple(name for name in FACETS if name != "year")
COLLAPSIBLE = ("indicator", "tag", "province")
COLLAPSE_AFTER = 8
FILTER_PARAMS = (*CHECKBOX_FACETS, "region", "year_from", "year_to")

# For the error summary: what each parameter is called on the page and the field it links to.
PARAM_LABELS = {
    "q": (_("Kata kunci"), "search-q"),
    "indicator": (_("Indikator"), "facet-indicator"),
    "aspect": (_("Aspek"), "facet-aspect"),
    "domain": (_("Domain"), "facet-domain"),
    "province": (_("Provinsi"), "facet-province"),
    "region": (_("Daerah"), ""),
    "region_type": (_("Jenis daerah"), "facet-region_type"),
    "year_from": (_("Tahun mulai dari"), "year-from"),
    "year_to": (_("Tahun mulai sampai"), "year-to"),
    "status": (_("Status"), "facet-status"),
    "tag": (_("Tag"), "facet-tag"),
    "verified": (_("Hanya perbaikan terverifikasi"), "search-verified"),
    "sort": (_("Urutkan"), "search-sort"),
    "page": (_("Halaman"), ""),
    "per_page": (_("Hasil per halaman"), ""),
    "for_region": (_("Daerah Anda"), ""),
}


class FacetOption:
    def __init__(self, value: str, label: str, count: int, selected: bool):
        self.value, self.label, self.count, self.selected = value, label, count, selected


def _requested(params, name: str) -> list[str]:
    """The values of a parameter as the user sent them (repeated and/or comma-separated), without duplicates."""
    values = [p.strip() for raw in params.getlist(name) for p in raw.split(",")]
    return list(dict.fromkeys(v for v in values if v))


def _key(name: str, value: str) -> str:
    """What the service compares: tags case-insensitively, numbers as numbers ("042" is 42)."""
    if name == "tag":
        return value.lower()
    if name in ("indicator", "aspect", "domain") and (number := ascii_int(value, low=0, high=999)) is not None:
        return str(number)
    return value


def _labels(name: str, values: list[str]) -> dict[str, str]:
    """Labels for chosen values that are not among the facet values (rare: a filter that matches nothing)."""
    from search.service import indicator_catalogue, page_language

    if name == "indicator":
        catalogue, field = indicator_catalogue(), "name_en" if page_language() == "en" else "name_id"
        numbers = {v: ascii_int(v, low=0, high=999) for v in values}
        return {v: f"{n}. {catalogue[n][field]}" for v, n in numbers.items() if n in catalogue}
    if name in ("aspect", "domain"):
        model = Aspect if name == "aspect" else Domain
        numbers = [n for v in values if (n := ascii_int(v, low=0, high=999)) is not None]
        rows = model.objects.filter(framework=Framework.current(), number__in=numbers)
        return {str(row.number): row.display_name for row in rows}
    if name == "province":
        return dict(Region.objects.filter(type=Region.Type.PROVINSI, code__in=values).values_list("code", "name"))
    if name == "status":
        return {k: str(v) for k, v in CaseStudyPage.Status.choices}
    if name == "region_type":
        return {k: str(v) for k, v in Region.Type.choices}
    return {}


@register.simple_tag
def facet_groups(facets, params) -> list[dict]:
    """The sidebar's fieldsets in the view's facet order: {name, options, more, more_open}; "year" has no
    checkboxes: its options are the years of the results (the template shows from/to inputs and year links).

    `facets` is the view's [(name, [FacetValue])]; `params` the request's GET. Checked state comes from the
    request (so the form still shows what was sent when a parameter was invalid); values the user chose that the
    results lack are appended so that they stay in the form and can be cleared.
    """
    by_name = dict(facets)
    groups = []
    for name in FACETS:
        if name == "year":
            groups.append({"name": name, "options": by_name.get(name, []), "more": [], "more_open": False})
            continue
        chosen = _requested(params, name)
        chosen_keys = {_key(name, v) for v in chosen}
        options = [
            FacetOption(f.value, f.label, f.count, _key(name, f.value) in chosen_keys) for f in by_name.get(name, [])
        ]
        present = {_key(name, o.value) for o in options}
        missing = list({_key(name, v): v for v in chosen if _key(name, v) not in present}.values())
        if missing:
            labels = _labels(name, missing)
            options += [FacetOption(v, labels.get(v, v), 0, True) for v in missing]
        if not options:
            continue
        if name in ("aspect", "domain"):
            for option in options:
                option.label = f"{option.value}. {option.label}"
        if name in COLLAPSIBLE and len(options) > COLLAPSE_AFTER + 1:
            shown, more = options[:COLLAPSE_AFTER], options[COLLAPSE_AFTER:]
        else:
            shown, more = options, []
        groups.append({"name": name, "options": shown, "more": more, "more_open": any(o.selected for o in more)})
    return groups


@lru_cache(maxsize=4096)
def _count_html(language: str, count: int) -> SafeString:
    # The translation is inserted as `{% blocktranslate %}` does: not escaped (it is ours), its number localised.
    words = ngettext("%(counter)s praktik baik", "%(counter)s praktik baik", count) % {"counter": localize(count)}
    return format_html(
        '<span class="count" aria-hidden="true">{}</span><span class="visually-hidden">({})</span>\n',
        localize(count),
        mark_safe(words),  # noqa: S308 — our own catalogue's text and a number
    )


@register.simple_tag
def facet_count(count) -> SafeString:
    """A facet value's count: the number for the eye, "(N praktik baik)" for screen readers."""
    return _count_html(get_language() or settings.LANGUAGE_CODE, count)


@register.simple_tag
def facet_options(name, options, id_prefix="") -> SafeString:
    """The `<li>` checkboxes of one facet's options (from `facet_groups`); ids f-<name>-<id_prefix><n>.

    Escaped as the template engine escapes (conditional_escape), assembled without format_html's per-call cost."""
    language = get_language() or settings.LANGUAGE_CODE
    field = f"{conditional_escape(name)}-{conditional_escape(id_prefix)}"
    name = conditional_escape(name)
    return mark_safe(  # noqa: S308 — every value is escaped above or here
        "".join(
            f'<li><input type="checkbox" id="f-{field}{n}" name="{name}" value="{conditional_escape(option.value)}"'
            f'{" checked" if option.selected else ""}><label for="f-{field}{n}">{conditional_escape(option.label)} '
            f"{_count_html(language, option.count)}</label></li>\n"
            for n, option in enumerate(options, start=1)
        )
    )


@register.simple_tag
def param_values(params, name) -> list[str]:
    """A request parameter's values (repeated and/or comma-separated)."""
    return _requested(params, name)


@register.simple_tag
def query_with(params, **changes) -> str:
    """The request's query string with some parameters replaced (None removes) and `page` dropped."""
    copy = params.copy()
    copy.pop("page", None)
    for name, value in changes.items():
        copy.pop(name, None)
        if value is not None:
            copy[name] = str(value)
    return copy.urlencode()


@register.simple_tag
def query_without_filters(params) -> str:
    """The request's query string with every filter (and `page`) dropped: the words, sort and region stay."""
    return query_with(params, **dict.fromkeys((*FILTER_PARAMS, "verified")))


@register.simple_tag
def page_window(current, pages, around: int = 2) -> list:
    """Page numbers to link: the first, the last and `around` either side of the current; None for a gap."""
    current, pages = int(current), int(pages)
    wanted = {1, pages, *range(max(1, current - around), min(pages, current + around) + 1)}
    out, previous = [], 0
    for number in sorted(wanted):
        if number - previous > 1:
            out.append(None)
        out.append(number)
        previous = number
    return out


@register.filter
def status_label(value) -> str:
    """A case study status code ("scaled") in words, in the active language."""
    return str(dict(CaseStudyPage.Status.choices).get(value, value))


@register.filter
def any_peer_reason(results) -> bool:
    return any(getattr(r, "peer_reason", "") for r in results)


@register.simple_tag
def facet_values(facets, name) -> list:
    """The values of one facet of the view's [(name, [FacetValue])] (empty when absent)."""
    return dict(facets).get(name, [])


@register.simple_tag
def active_filter_count(params) -> int:
    """How many filters the request sets (each checked value counts; "verified" counts once)."""
    count = sum(len(_requested(params, name)) for name in FILTER_PARAMS)
    return count + (1 if (params.get("verified") or "").strip().lower() in ("1", "true") else 0)


@register.simple_tag
def error_items(errors) -> list[dict]:
    """The view's {param: message} as [{param, label, anchor, message}] for the error summary."""
    items = []
    for param, message in errors.items():
        label, anchor = PARAM_LABELS.get(param, (param, ""))
        items.append({"param": param, "label": label, "anchor": anchor, "message": message})
    return items


@register.simple_tag
def result_start(response) -> int:
    """The rank of the first result shown (for <ol start>)."""
    return (response.request.page - 1) * response.request.per_page + 1


@register.simple_tag
def language_prefix() -> str:
    """ "/en" on English pages, "" on Indonesian ones (the default language has no prefix: livinglab/urls.py)."""
    language = get_language() or settings.LANGUAGE_CODE
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


@register.filter
def localized_path(url: str) -> str:
    """A site path (search documents store the default language's) in the page's language: /en/daerah/…"""
    prefix = language_prefix()
    if not prefix or not url.startswith("/") or url.startswith("//") or url.startswith(f"{prefix}/"):
        return url
    return prefix + url
