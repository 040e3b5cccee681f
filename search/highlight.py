"""Snippets with the matched words marked, computed for the shown results only (the same on every engine)."""

import re

from django.utils.html import escape

from .text import normalize, stem

TOKEN = re.compile(r"\w+", re.UNICODE)


def _matches(word: str, stems: set[str], prefixes: tuple[str, ...]) -> bool:
    plain = normalize(word)
    if not plain:
        return False
    return stem(plain) in stems or bool(prefixes and plain.startswith(prefixes))


def mark(text: str, stems: set[str], prefixes: tuple[str, ...] = ()) -> str:
    """The whole text, escaped, with matched words in <mark>."""
    out, last = [], 0
    for m in TOKEN.finditer(text):
        if _matches(m.group(), stems, prefixes):
            out.append(escape(text[last : m.start()]))
            out.append(f"<mark>{escape(m.group())}</mark>")
            last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def snippet(text: str, stems: set[str], prefixes: tuple[str, ...] = (), *, words: int = 32) -> str:
    """The window of `words` words with the most matched words, escaped and marked; the start when none match."""
    tokens = list(TOKEN.finditer(text))
    if not tokens:
        return ""
    hits = [i for i, m in enumerate(tokens) if _matches(m.group(), stems, prefixes)] if stems or prefixes else []
    start = 0
    if hits:
        best = max(range(len(hits)), key=lambda k: sum(1 for h in hits[k:] if h < hits[k] + words))
        start = max(0, hits[best] - 4)
    end = min(len(tokens), start + words)
    begin_char = tokens[start].start()
    end_char = tokens[end - 1].end()
    body = mark(text[begin_char:end_char], stems, prefixes)
    return ("… " if start else "") + body + (" …" if end < len(tokens) else "")
