"""Template helpers shared by every page."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cms import public_urls
from cms.sanitize import render_richtext

register = template.Library()


@register.filter
def safe_richtext(value) -> str:
    """Render a rich-text field (cms.sanitize.render_richtext: safe, and never an error, for any stored HTML)."""
    if not value:
        return ""
    return mark_safe(render_richtext(str(value)))  # noqa: S308


@register.filter
def get_item(mapping, key):
    """`{{ dict|get_item:key }}` for dictionaries keyed by numbers."""
    return mapping.get(key) if mapping else None


@register.filter
def rupiah(value) -> str:
    """Rp 1.250.000 (grouped per the active language)."""
    if value in (None, ""):
        return ""
    return f"Rp {number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)}"


@register.simple_tag
def public_url(path) -> str:
    """`{% public_url request.get_full_path %}`: the path on the site's public address (cms.public_urls)."""
    return public_urls.public_url(str(path))


@register.simple_tag(takes_context=True)
def chart_sizes(context, *charts) -> str:
    """A `<style>` for the page head giving each chart figure its drawing's width (`--chart-max-width`).

    The Content-Security-Policy allows no style attributes, so the width cannot sit on the figure; this element
    carries the response's CSP nonce instead. `{% chart_sizes index_chart heatmap %}`; empty charts are skipped.
    """
    rules = format_html_join("", "#{}{{--chart-max-width:{}px}}", ((c["id"], int(c["width"])) for c in charts if c))
    if not rules:
        return ""
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return format_html('<style nonce="{}">{}</style>', nonce, rules)
