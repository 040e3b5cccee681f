"""Wagtail's references in rich text, checked, and the HTML written back well formed.

Stored rich text points at objects with Wagtail's own markup: `<a linktype="page" id="3">`,
`<a linktype="document" id="7">`, `<embed embedtype="image" id="5" format="left" alt="…"/>`. An allow-list sanitizer
keeps those attributes but cannot judge them, and Wagtail trusts them: a page id `abc` is a ValueError in the
public page, the preview and the editor; an `<embed …>` without `/>` is not found by Wagtail's embed pattern
(`<embed …/>`) and throws the editor's HTML parser off balance ("Unmatched tags"). This pass, run on nh3's output:

- keeps `linktype` and `id` on a link only when the type is one of LINK_TYPES and the id a positive integer that
  fits the database's id column; any other reference (an unknown type, an id `abc`, `-1`, `²`, 20 digits, a
  `linktype` without an id) is unwrapped: its text stays, the link goes;
- keeps an embed only when its type is one of EMBED_TYPES, its id is such an integer and its `format` is an image
  format registered with Wagtail (`wagtail.images.formats`); any other embed is dropped (an embed has no text);
- writes every tag back well formed: attribute values double-quoted and escaped (`<` and `>` too, as Wagtail finds
  its tags by regular expressions), void elements closed as Wagtail writes them (`<br/>`, `<embed …/>`).

`media` embeds (oEmbed) are not kept: no editor of this site offers them, and rendering one would call a third
party's oEmbed service while the page is served. Whether a well-formed reference still points at something is
decided when it is rendered (Wagtail's handlers): a missing page or document leaves `<a>` without `href`, a
missing image `<img>` without `src`; `strip_dead_references` turns those into plain text and nothing.
"""

import re
from html import escape
from html.parser import HTMLParser

LINK_TYPES = frozenset({"page", "document"})
EMBED_TYPES = frozenset({"image"})
MAX_ID = 2**31 - 1  # Wagtail's pages, documents and images have 32-bit ids (AutoField)
VOID_TAGS = frozenset({"br", "hr", "embed", "img"})
# Only HTML with one of these has anything to check or rewrite (nh3's output is otherwise well formed already).
_NEEDS_CHECK = re.compile(r"<(?:a|embed|br|hr)\b")
_DEAD_REFERENCE = re.compile(r"<a(?![^>]*\shref=)[\s>]|<img(?![^>]*\ssrc=)[\s>/]")


def object_id(value: str | None) -> str | None:
    """An id as Wagtail stores it ("42"), or None unless `value` is ASCII decimal digits for 1 ≤ n ≤ MAX_ID."""
    value = (value or "").strip()
    if not value or len(value) > 10 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return str(number) if 1 <= number <= MAX_ID else None


def image_format_names() -> set[str]:
    from wagtail.images.formats import get_image_formats

    return {image_format.name for image_format in get_image_formats()}


def _attribute(value: str) -> str:
    return escape(value, quote=False).replace('"', "&quot;")  # Wagtail un-escapes &quot;, not &#x27;


class _Rewriter(HTMLParser):
    """Re-serialises HTML tag by tag; `start` decides, for each start tag, its attributes or None (left out)."""

    def __init__(self, start, *, close_void: bool):
        super().__init__(convert_charrefs=True)
        self.start, self.close_void = start, close_void
        self.out: list[str] = []
        self.open_links: list[bool] = []  # for each <a> open: was it kept?

    def handle_starttag(self, tag, attrs):
        kept = self.start(tag, {name: value or "" for name, value in attrs})
        if tag == "a":
            self.open_links.append(kept is not None)
        if kept is None:
            return
        attributes = "".join(f' {name}="{_attribute(value)}"' for name, value in kept.items())
        self.out.append(f"<{tag}{attributes}{'/' if self.close_void and tag in VOID_TAGS else ''}>")

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if tag == "a" and not (self.open_links and self.open_links.pop()):
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))

    @classmethod
    def rewrite(cls, html: str, start, *, close_void: bool) -> str:
        parser = cls(start, close_void=close_void)
        parser.feed(html)
        parser.close()
        return "".join(parser.out)


def _stored_tag(tag: str, attrs: dict) -> dict | None:
    if tag == "a":
        if "linktype" in attrs:
            linktype, pk = attrs["linktype"], object_id(attrs.get("id"))
            return {"linktype": linktype, "id": pk} if linktype in LINK_TYPES and pk else None
        if not attrs.get("href"):
            return None  # neither a Wagtail reference nor a link: its text is what remains
        return {name: attrs[name] for name in ("href", "title") if name in attrs}
    if tag == "embed":
        pk, image_format = object_id(attrs.get("id")), attrs.get("format")
        if attrs.get("embedtype") not in EMBED_TYPES or not pk or image_format not in image_format_names():
            return None
        return {"embedtype": attrs["embedtype"], "id": pk, "format": image_format, "alt": attrs.get("alt", "")}
    return attrs


def check_references(html: str) -> str:
    """Wagtail's link and embed attributes checked, the rest of the (already allow-listed) HTML well formed."""
    if not _NEEDS_CHECK.search(html):
        return html
    return _Rewriter.rewrite(html, _stored_tag, close_void=True)


def _rendered_tag(tag: str, attrs: dict) -> dict | None:
    if tag == "a" and not attrs.get("href"):
        return None
    if tag == "img" and not attrs.get("src"):
        return None
    return attrs


def strip_dead_references(html: str) -> str:
    """Rendered HTML with links that lead nowhere turned into their text and images without a source left out
    (what Wagtail renders for a reference to a page, document or image that no longer exists)."""
    if not _DEAD_REFERENCE.search(html):
        return html
    return _Rewriter.rewrite(html, _rendered_tag, close_void=False)
