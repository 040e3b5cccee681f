"""Snippets with the matched words marked, computed for the shown results only (the same on every engine)."""

import re
from functools import lru_cache
from itertools import islice

from django.utils.html import escape

from .text import normalize, stem

TOKEN = re.compile(r"\w+", re.UNICODE)
SCAN_CHARS = 6000  # a snippet is looked for in the first few thousand characters (summary and first sections)


@lru_cache(maxsize=50_000)
def _analysed(word: str) -> tuple[str, str]:
    """A token as searches compare it: (normalised form, stem). Pure, so shared by every search of the process:
    a result text's words are analysed once, not on each search that shows it."""
    plain = normalize(word)
    return plain, stem(plain)


class Marker:
    """Marks the words of a text whose stem was searched (or that start with a searched prefix).

    One per search: it remembers each distinct word's verdict, so ten result texts cost one stemming per word.
    """

    def __init__(self, stems: set[str], prefixes: tuple[str, ...] = ()):
        self.stems = stems
        self.prefixes = prefixes
        self._seen: dict[str, bool] = {}

    def matches(self, word: str) -> bool:
        verdict = self._seen.get(word)
        if verdict is None:
            self._judge((word,))
            verdict = self._seen[word]
        return verdict

    def _judge(self, words) -> None:
        """Remember the verdict on each of these words not judged yet."""
        seen, stems, prefixes = self._seen, self.stems, self.prefixes
        for word in words:
            if word not in seen:
                plain, word_stem = _analysed(word)
                seen[word] = bool(plain) and (word_stem in stems or bool(prefixes and plain.startswith(prefixes)))

    def mark(self, text: str) -> str:
        """The whole text, escaped, with matched words in <mark>."""
        out, last = [], 0
        for m in TOKEN.finditer(text):
            if self.matches(m.group()):
                out.append(escape(text[last : m.start()]))
                out.append(f"<mark>{escape(m.group())}</mark>")
                last = m.end()
        out.append(escape(text[last:]))
        return "".join(out)

    def snippet(self, text: str, *, words: int = 32) -> str:
        """The window of `words` words with the most matched words, escaped and marked; the start when none match."""
        text = text[:SCAN_CHARS]
        tokens = TOKEN.findall(text)
        if not tokens:
            return ""
        self._judge(set(tokens))
        seen = self._seen
        hits = [i for i, word in enumerate(tokens) if seen[word]]
        start = 0
        if hits:
            best, best_count, j = 0, 0, 0
            for k, h in enumerate(hits):  # sliding window over the hit positions
                while hits[j] <= h - words:
                    j += 1
                if k - j + 1 > best_count:
                    best, best_count = hits[j], k - j + 1
            start = max(0, best - 4)
        end = min(len(tokens), start + words)
        spans = [m.span() for m in islice(TOKEN.finditer(text), start, end)]  # only the window's tokens
        body = self.mark(text[spans[0][0] : spans[-1][1]])
        return ("… " if start else "") + body + (" …" if end < len(tokens) else "")
