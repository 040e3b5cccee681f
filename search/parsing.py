"""From what an officer typed to an engine query: indicator references, stems, synonyms, the unfinished word."""

import re
from dataclasses import dataclass

from .synonyms import longest_phrase, synonym_table
from .text import INDICATOR_REF, INDICATOR_TERM, STOPWORDS, normalize, stem

BARE_NUMBER = re.compile(r"^\d{1,2}$")


@dataclass
class ParsedText:
    groups: tuple  # for backends.base.Query.groups
    indicators: list[int]  # indicator numbers the query names ("indikator 43", "I-43", "43")
    stems: set[str]  # the typed words' stems and one-word synonyms (for highlighting and "cocok pada" chips)
    words: list[str]  # the normalised words (for suggestions)


def parse(text: str, *, indicator_count: int = 47, autocomplete: bool = True) -> ParsedText:
    plain = normalize(text)
    indicators = []

    def take(match):
        number = int(match.group(1))
        if 1 <= number <= indicator_count:
            indicators.append(number)
            return " "
        return match.group(0)

    rest = INDICATOR_REF.sub(take, plain)
    words = []
    for word in rest.split():
        if BARE_NUMBER.match(word) and 1 <= int(word) <= indicator_count:
            indicators.append(int(word))
        elif word not in STOPWORDS:
            words.append(word)
    stems = [stem(w) for w in words]
    table = synonym_table()
    longest = longest_phrase()
    groups, i, last_size = [], 0, 0
    matched = set(stems)
    while i < len(stems):
        for size in range(min(longest, len(stems) - i), 0, -1):
            phrase = tuple(stems[i : i + size])
            if phrase in table:
                groups.append(table[phrase])
                # Highlight the one-word alternatives; a phrase's words alone ("lapor" of "SP4N-LAPOR") would mark
                # every "laporan" in the text.
                for alternative in table[phrase]:
                    if len(alternative) == 1:
                        matched.update(alternative)
                i, last_size = i + size, size
                break
        else:
            groups.append(((stems[i],),))
            i, last_size = i + 1, 1
    # The last word, unfinished while typing ("pelay"): also a prefix of title and indicator-name words.
    last = words[-1] if words else ""
    if autocomplete and last_size == 1 and not text.endswith(" ") and last.isalpha() and len(last) >= 3:
        groups[-1] = (*groups[-1], (last + "*",))
    for number in dict.fromkeys(indicators):
        term = INDICATOR_TERM.format(number)
        groups.append(((term,),))
        matched.add(term)
    return ParsedText(groups=tuple(groups), indicators=list(dict.fromkeys(indicators)), stems=matched, words=words)
