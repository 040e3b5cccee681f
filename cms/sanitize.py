"""The one HTML sanitizer for user-supplied HTML (imports, API, programmatic saves, rendering).

Built on nh3 (Rust's ammonia): an explicit allow-list of tags, attributes and URL schemes.
bleach, which the original design named, stopped maintenance on 2026-06-05 and gets no
security fixes, so it is not used anywhere.

Two allow-lists:
- STORAGE keeps Wagtail's internal rich-text format (`<a linktype="page" id="…">`,
  `<embed embedtype="image" …/>`), so sanitized HTML still round-trips through the editor; the references
  themselves are then checked, and the HTML written well formed, by cms.rich_text_entities.
- RENDER is what reaches a browser, after Wagtail has expanded its internal references.

`render_richtext` is the one way stored rich text reaches a page (templates, StreamField blocks, previews): what
the database holds is cleaned as if it were being stored (so HTML written around the sanitizer cannot break the
page), expanded by Wagtail, cleaned for the browser, and references to what no longer exists become plain text.
"""

import html

from wagtail.rich_text import expand_db_html

import nh3

from .rich_text_entities import check_references, strip_dead_references

URL_SCHEMES = {"http", "https", "mailto", "tel"}

_TEXT_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "ul", "ol", "li", "strong", "b", "em", "i",
    "u", "s", "sub", "sup", "code", "blockquote", "a",
}  # fmt: skip

STORAGE_TAGS = _TEXT_TAGS | {"embed"}
# "*": the attributes allowed on every tag — none (nh3 would otherwise allow `lang` and `title` everywhere).
STORAGE_ATTRIBUTES = {
    "*": set(),
    # data-block-key: Draftail's block ids, which anchor editor comments.
    **{tag: {"data-block-key"} for tag in ("p", "h2", "h3", "h4", "h5", "li", "blockquote")},
    "a": {"href", "linktype", "id", "title"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}

RENDER_TAGS = _TEXT_TAGS | {"img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td"}
RENDER_ATTRIBUTES = {
    "*": set(),
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "class"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def sanitize_richtext_source(html: str | None) -> str:
    """Clean HTML before it is stored in a rich-text field (Wagtail's internal format)."""
    if not html:
        return ""
    cleaned = nh3.clean(
        str(html),
        tags=STORAGE_TAGS,
        attributes=STORAGE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return check_references(cleaned)


def sanitize_rendered_html(html: str | None) -> str:
    """Clean HTML that is about to be sent to a browser."""
    if not html:
        return ""
    cleaned = nh3.clean(
        str(html),
        tags=RENDER_TAGS,
        attributes=RENDER_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return strip_dead_references(cleaned)


def render_richtext(source: str | None) -> str:
    """Stored rich text (Wagtail's internal format) as HTML for a browser, whatever the database holds."""
    stored = sanitize_richtext_source(source)
    return sanitize_rendered_html(expand_db_html(stored)) if stored else ""


def plain_text(text: str | None) -> str:
    """Strip every tag (and the content of script/style) from a plain-text field; collapse whitespace."""
    if not text:
        return ""
    # nh3 escapes what it keeps; a plain-text field stores text (templates escape on output), so unescape.
    # Unescaping can reveal markup ("&lt;b&gt;" → "<b>"): repeat until stable, so the function is idempotent
    # and an exported summary re-imports unchanged.
    cleaned = text
    for _ in range(5):
        previous = cleaned
        cleaned = html.unescape(nh3.clean(cleaned, tags=set(), attributes={}, clean_content_tags={"script", "style"}))
        if cleaned == previous:
            break
    return " ".join(cleaned.split())
