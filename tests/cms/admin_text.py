"""What a person reads on an admin screen, and the English left in it (issue 13, part 5).

`visible_texts` collects the text nodes of a page (not scripts or styles), the attributes that are shown or read
aloud (title, aria-label, placeholder, alt, tooltips, a button's value, the "Saving…" text of a button) and the
labels in the JSON the admin's JavaScript draws from (the sidebar menu, the StreamField blocks, the comments).
`english_leftovers` names the common English words in them that no Indonesian sentence has, skipping proper nouns.
"""

import json
import re
from html.parser import HTMLParser

# Common English words of Wagtail's interface that are not Indonesian words. Words both languages use ("data",
# "status", "menu", "admin", "editor", "filter", "tag", "email", "log", "total", "slug") are left out.
_ENGLISH_WORDS = """
    about account action actions active add added after ago all already also an and any apply approve approved
    are as at author available back be been before being below both browse but by can cancel cannot change changed
    changes child children choose chosen clear click close collapse collection collections comment comments compare
    confirm content copy could create created current dashboard date delete deleted desktop details do does document
    documents done down draft drafts each edit edited editing empty enter error errors every expand explore explorer
    field fields find first for found from go guide has have help here hide history home if image images in into is
    its keyboard last latest less live loading lock locked locks manage mark may me minimize
    moderation more most move must my name needs new next not nothing now of off on one only open or order other
    our out owner page pages parent password pending please preview previous privacy private public publish
    published publishing recent recently refresh reject rejected remove report reports required reset result results
    review revision revisions save saved saving schedule scheduled search see select selected settings show shortcut
    shortcuts showing sidebar site sites size snippet snippets some sort submit submitted subpage subpages such
    summary task tasks than that the their them then there these they this those time title to toggle type types
    unlock unpublish unpublished up update updated upload user username users view viewing views was we were what
    when where which while who will with without workflow workflows would yes you your
    block blocks bold break bulleted heading insert italic line link links list numbered paste redo text undo
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())
# Names that stay as they are in an Indonesian sentence: products, programmes, the site's own name.
PROPER_NOUNS = ("Living Lab", "Wagtail", "Draftail", "Open Data", "Smart City", "Single Sign-On")
_PROPER = re.compile("|".join(re.escape(name) for name in PROPER_NOUNS), re.IGNORECASE)

SHOWN_ATTRIBUTES = {
    "title",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "placeholder",
    "alt",
    "data-w-tooltip-content-value",
    "data-w-progress-active-value",
    "data-w-dropdown-content-value",
    "data-w-clipboard-copied-value",
    "data-w-count-label-value",
}
BUTTONS = ("submit", "button", "reset")
# Keys whose string values the admin's JavaScript puts on screen (sidebar props, block definitions).
SHOWN_JSON_KEYS = {"label", "title", "helpText", "help_text", "placeholder", "text", "description", "heading"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0  # inside <script>/<style> that is not JSON we read
        self._json: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if not value:
                continue
            if name in SHOWN_ATTRIBUTES or (name == "value" and tag == "input" and attrs.get("type") in BUTTONS):
                self.texts.append(value)
            elif name.startswith("data-") and value.lstrip()[:1] in ("{", "["):  # Draftail, StreamField blocks
                self.texts.extend(json_texts(value))
        if tag in ("script", "style"):
            if tag == "script" and attrs.get("type") == "application/json":
                self._json = []
            else:
                self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            if self._json is not None:
                self.texts.extend(json_texts("".join(self._json)))
                self._json = None
            elif self._skip:
                self._skip -= 1

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)
        elif not self._skip and data.strip():
            self.texts.append(data)


def json_texts(raw: str) -> list[str]:
    """The shown strings in a JSON document; HTML inside them is read as HTML."""
    try:
        document = json.loads(raw)
    except ValueError:
        return []
    found: list[str] = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in SHOWN_JSON_KEYS and node.strip():
            found.extend(visible_texts(node) if "<" in node else [node])

    walk(document)
    return found


def visible_texts(html: str) -> list[str]:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return [" ".join(t.split()) for t in parser.texts if t.strip()]


WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def english_leftovers(texts: list[str]) -> dict[str, set[str]]:
    """{text: the English words in it} for each text that has any."""
    leftovers: dict[str, set[str]] = {}
    for text in texts:
        words = {w.lower() for w in WORD.findall(_PROPER.sub(" ", text))}
        english = {w for w in words if w in ENGLISH or w.split("'")[0] in ENGLISH}
        if english:
            leftovers[text] = english
    return leftovers
