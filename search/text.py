"""Indonesian text analysis shared by every search backend: normalise, tokenise, stem, recognise indicators.

Stemming uses Sastrawi (the Nazief–Adriani algorithm with its dictionary; PySastrawi, pure Python, MIT): it
maps pelayanan/layanan/melayani → layan, pengaduan/aduan → adu, kependudukan/penduduk → duduk,
terintegrasi → integrasi and leaves words it does not know (digital, aplikasi) alone, where PostgreSQL's
`indonesian` snowball configuration cuts "digital" to "gital". We apply the same analysis at index and query time,
so SQLite FTS5, PostgreSQL and Elasticsearch all see the same terms (docs/search.md has the measurements).
"""

import re
import unicodedata
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

WORD = re.compile(r"[a-z0-9]+")
# "indikator 43", "indikator-43", "I-43", "i43", "ind. 43" → indicator 43 (bare numbers are handled separately).
INDICATOR_REF = re.compile(r"\b(?:indikator|indicator|ind|i)\s*[-.:#]?\s*(\d{1,2})\b")
INDICATOR_TERM = "i{}"  # how an indicator number is stored as a term: i43

# Function words that carry no meaning in officers' queries (kept short on purpose: "tidak", "baru" stay).
STOPWORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "pada",
        "dalam",
        "atau",
        "oleh",
        "ini",
        "itu",
        "adalah",
        "sebagai",
        "juga",
        "akan",
        "bagi",
        "serta",
        "secara",
        "agar",
        "para",
        "tentang",
        "bagaimana",
        "cara",
        "apa",
        "apakah",
        "kami",
        "kita",
        "saya",
        "kamu",
        "mereka",
        "nya",
        "pun",
        "lah",
        "sudah",
        "telah",
        "dapat",
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
        "on",
        "with",
        "a",
        "an",
        "is",
        "are",
        "how",
    ]
)


@lru_cache(maxsize=1)
def _stemmer():
    return StemmerFactory().create_stemmer()


def normalize(text: str) -> str:
    """Lower case, accents stripped, everything that is not a letter or digit turned into a space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(WORD.findall(plain))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """One normalised word's stem; digits, acronym-length words and mixed tokens are kept as they are."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return _stemmer().stem(word) or word


def words(text: str) -> list[str]:
    return WORD.findall(normalize(text))


def terms(text: str) -> list[str]:
    """Index/query terms of a text: stems of its words, stop words dropped."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


@lru_cache(maxsize=20_000)
def label_terms(label: str) -> frozenset[str]:
    """The terms of a short label (an indicator name, a tag), memoised: result cards compare them on every search."""
    return frozenset(terms(label))


def analyze(text: str) -> str:
    """The stored form of a field: its terms joined by spaces (what every engine indexes)."""
    return " ".join(terms(text))


def indicator_terms(number: int, name: str) -> str:
    """An indicator as indexed text: its number term and its name's terms."""
    return f"{INDICATOR_TERM.format(number)} {analyze(name)}"
