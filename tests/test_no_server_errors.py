"""Property-based (hypothesis): hostile values for every parameter of every public URL — and, signed in as a
moderator, of the admin's search URLs — never answer a 5xx.

The values: unicode text (NUL and controls included), digits of every script (superscripts pass str.isdigit()
but not int(); Arabic-Indic digits pass int()), numbers of any size (past int()'s 4,300 digits), long strings
and many words, search syntax of FTS5, tsquery and Wagtail (quotes, -, *, :, NEAR, AND/OR/NOT), a few real
values so that parameters meet data, and real values spoilt by one of those. Each parameter of each URL gets
EXAMPLES values alone, then each URL EXAMPLES draws of several parameters at once; path values are parameters too.

Bounded: NO_SERVER_ERRORS_EXAMPLES (default 4) per URL and parameter, half as many for the slower admin;
derandomized, no example database; `-s` prints how many requests were sent and what they answered. The limits on repetition are raised by the test
settings (livinglab/settings/test.py) and no answer may be a 429, so that they hide nothing."""

import os
import time
from urllib.parse import quote

from wagtail.documents.models import Document

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.search.scenario import SearchCorpusTestCase
from tests.utils import PASSWORD

EXAMPLES = int(os.environ.get("NO_SERVER_ERRORS_EXAMPLES", "4"))

VECTORS = [
    *('"', '"x', "a\x00b", "\x00", " ", "%20", '+a -b "c d"', "-b", "a:b", "b*", "^a", "NEAR(a b)", "a OR b"),
    *("AND", "NOT a", "(", ")", "'", "\\", "a & b | !c", "<->", "{a}", "%", "_", "'; DROP TABLE x;--"),
    *("²", "¹", "²⁰²⁴", "٣", "४२", "٤٢", "0", "-1", "+3", "1e3", "3.0", " 3", "3_000", "0x1f", "١٠٠٠٠٠٠"),
    *("9" * 5000, "9" * 20, str(2**63), str(2**64), "a" * 5000, " ".join(["kata"] * 600)),
    *("pengaduan", "tte", "32.11", "32-11", "32", "42", "16", "2022", "id", "en", "csv", "json", "1", "true"),
    *("casestudies.CaseStudyPage", "title", "-title", "id,title", "*", "_", "wagtailcore.Page", "\ud7ff"),
]
REAL = ["pengaduan", "32.11", "32-12", "42", "2022", "1", "id", "title", "kabupaten-sumedang"]
SPOILERS = ["\x00", "²", "٣", '"', "'", "-", " ", "*", ":", "9" * 30]
# a real value with something hostile before or after it, so that it gets past the checks of what a value looks like
SPOILT = st.tuples(st.sampled_from(REAL), st.sampled_from(SPOILERS), st.booleans()).map(
    lambda t: t[0] + t[1] if t[2] else t[1] + t[0]
)
HOSTILE = st.one_of(
    st.sampled_from(VECTORS),
    SPOILT,
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=6),
    st.text(alphabet=' "*-+:^()&|!<>\x00ab10', max_size=20),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
)

SEARCH = ["q", "page", "per_page", "indicator", "aspect", "domain", "region", "province", "region_type"]
SEARCH += ["year_from", "year_to", "status", "tag", "verified", "sort", "for_region", "lang"]
V2 = ["search", "search_operator", "type", "fields", "order", "limit", "offset", "child_of", "descendant_of"]
V2 += ["ancestor_of", "translation_of", "locale", "title", "slug", "id", "html_path", "show_in_menus", "depth"]
PEERS = ["domain", "aspect", "indicator", "index", "limit", "from_year", "to_year", "lang"]

# (URL with {} for each path value, the values it is tried with, the query parameters)
PUBLIC = [
    ("/cari/", (), SEARCH),
    ("/en/cari/", (), SEARCH),
    ("/api/v1/search/", (), [*SEARCH, "format"]),
    ("/api/v1/search/?format=csv", (), SEARCH),
    ("/api/v1/search/autocomplete/", (), ["q", "lang"]),
    ("/api/v1/regions/{}/scores/", ("32.11",), ["lang"]),
    ("/api/v1/regions/{}/peers/?domain=4", ("32.12",), PEERS),
    ("/api/v1/indicators/{}/path/", ("42",), ["for_region", "lang"]),
    ("/api/v2/pages/", (), V2),
    ("/api/v2/pages/find/", (), ["id", "html_path"]),
    ("/api/v2/pages/{}/", ("MPP",), ["fields"]),
    ("/feeds/praktik-baik/", (), ["page"]),
    ("/feeds/praktik-baik/atom/", (), []),
    ("/feeds/indikator/{}/", ("42",), []),
    ("/feeds/daerah/{}/", ("32.11",), []),
    ("/data/praktik-baik.csv", (), ["indicator"]),
    ("/", (), ["provinsi"]),
    ("/daerah/", (), ["provinsi"]),
    ("/daerah/skor/{}/", ("32-12",), ["indikator", "provinsi"]),
    ("/indikator/", (), ["provinsi"]),
    ("/indikator/{}/", ("42",), ["provinsi"]),
    ("/indikator/domain/{}/", ("4",), ["provinsi"]),
    ("/indikator/aspek/{}/", ("8",), []),
    ("/indikator/{}/langkah/{}-{}/", ("42", "2", "3"), ["for_region"]),
    ("/en/indikator/{}/", ("42",), []),
    ("/laporkan/{}/", ("MPP",), []),
    ("/laporkan/tanya-jawab/{}/", ("1",), []),
    ("/undangan/{}/{}/", ("MQ", "token"), []),
    ("/documents/{}/{}", ("1", "panduan.pdf"), []),
    ("/sitemap.xml", (), ["p"]),
    ("/healthz", (), []),
    ("/daerah/{}/", ("kabupaten-sumedang",), []),
]
ADMIN_LISTINGS = ["/admin/pages/search/", "/admin/choose-page/search/", "/admin/documents/", "/admin/images/"]
ADMIN_LISTINGS += ["/admin/snippets/casestudies/region/", "/admin/snippets/casestudies/indicator/"]
ADMIN_LISTINGS += ["/admin/snippets/search/synonym/", "/admin/users/", "/admin/documents/chooser/"]
ADMIN_LISTINGS += ["/admin/images/chooser/", "/admin/choose-page/", "/admin/pages/{}/"]
ADMIN = [(url, ("HOME",) if "{}" in url else (), ["q", "p", "ordering"]) for url in ADMIN_LISTINGS]


class NoServerErrorTests(SearchCorpusTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Document.objects.create(title="Panduan pengaduan", file="documents/panduan.pdf")

    def sweep(self, urls, statuses, examples=EXAMPLES) -> int:
        """Every parameter of every URL alone, then several at once; returns the number of requests sent."""
        sent = 0
        real = {"MPP": str(self.mpp.pk), "HOME": str(self.home.pk)}

        def call(url, path_values, params):
            nonlocal sent
            sent += 1
            path = url.format(*(quote(real.get(v, v), safe="") for v in path_values))
            response = self.client.get(path, params)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            self.assertLess(response.status_code, 500, f"{path} {params!r}"[:2000])
            self.assertNotEqual(response.status_code, 429, f"{path}: a limit on repetition hid the exercise")

        for url, path_values, names in urls:
            runs = [(name, HOSTILE.map(lambda v, n=name: {n: v})) for name in names]
            if len(names) > 1:
                runs.append(("*", st.dictionaries(st.sampled_from(names), HOSTILE, min_size=2, max_size=4)))
            for position in range(len(path_values)):  # each path value hostile, the others real
                runs.append((f"path {position}", st.tuples(st.just(position), HOSTILE)))
            for label, strategy in runs:
                with self.subTest(url=url, parameter=label):
                    self.exercise(
                        examples,
                        strategy,
                        lambda drawn, u=url, p=path_values, lb=label: self.one(call, u, p, lb, drawn),
                    )
        return sent

    @staticmethod
    def exercise(examples, strategy, function):
        @given(drawn=strategy)
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(drawn):
            function(drawn)

        run()

    @staticmethod
    def one(call, url, path_values, label, drawn):
        if label.startswith("path"):
            position, value = drawn
            values = list(path_values)
            values[position] = value or "x"
            call(url, values, {})
        else:
            call(url, path_values, drawn)

    def test_public_urls(self):
        started, statuses = time.monotonic(), {}
        sent = self.sweep(PUBLIC, statuses)
        seconds = time.monotonic() - started
        print(f"\nno server errors, public: {sent} requests in {seconds:.0f} s, {sorted(statuses.items())}")  # noqa: T201
        self.assertIn(400, statuses)

    def test_admin_search_urls(self):
        self.client.login(username="moderator", password=PASSWORD)
        started, statuses = time.monotonic(), {}
        sent = self.sweep(ADMIN, statuses, examples=max(1, EXAMPLES // 2))
        seconds = time.monotonic() - started
        print(f"\nno server errors, admin: {sent} requests in {seconds:.0f} s, {sorted(statuses.items())}")  # noqa: T201
        self.assertIn(200, statuses)
