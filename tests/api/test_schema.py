"""/api/v1/openapi.json says what the code accepts: the parameters search/params.py reads are the ones
documented, each documented bound is accepted and one past it refused (400 naming the parameter), repeated and
comma-separated values both work, and the CSV answer is described as text/csv."""

from django.http import QueryDict

from search.params import request_from_params
from tests.search.scenario import SearchCorpusTestCase

SEARCH = "/api/v1/search/"
PEERS = "/api/v1/regions/32.12/peers/"


class ReadNames(QueryDict):
    """A query string that remembers which parameter names were asked for."""

    def __init__(self):
        super().__init__(mutable=True)
        self.read = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)


class OpenApiSchemaTests(SearchCorpusTestCase):
    def setUp(self):
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.schema = response.json()

    def operation(self, path):
        return self.schema["paths"][path]["get"]

    def parameters(self, path) -> dict[str, dict]:
        return {p["name"]: p for p in self.operation(path)["parameters"]}

    def test_the_five_endpoints_and_their_answers(self):
        self.assertEqual(self.schema["openapi"], "3.1.0")
        self.assertEqual(
            set(self.schema["paths"]),
            {
                "/api/v1/regions/{code}/scores/",
                "/api/v1/regions/{code}/peers/",
                "/api/v1/indicators/{number}/path/",
                SEARCH,
                f"{SEARCH}autocomplete/",
            },
        )
        for path in self.schema["paths"]:
            with self.subTest(path):
                responses = self.operation(path)["responses"]
                error = responses["400"]["content"]["application/json"]["schema"]["$ref"]
                self.assertEqual(error, "#/components/schemas/ErrorOut")
                self.assertIn("lang", self.parameters(path))
        self.assertEqual(set(self.schema["components"]["schemas"]["ErrorOut"]["required"]), {"error", "errors"})
        for path in (
            "/api/v1/regions/{code}/scores/",
            "/api/v1/regions/{code}/peers/",
            "/api/v1/indicators/{number}/path/",
        ):
            self.assertIn("404", self.operation(path)["responses"])
        search_ok = self.operation(SEARCH)["responses"]["200"]["content"]
        self.assertEqual(set(search_ok), {"application/json", "text/csv"})
        self.assertEqual(self.parameters(SEARCH)["format"]["schema"]["enum"], ["json", "csv"])

    def test_the_documented_search_parameters_are_the_ones_the_parser_reads(self):
        params = ReadNames()
        request_from_params(params)
        self.assertEqual(set(self.parameters(SEARCH)) - {"format", "lang"}, params.read)

    def assert_bounds(self, url, name, schema, extra=None):
        """The documented minimum and maximum are accepted; one past either is refused, naming `name`."""
        low, high = schema["minimum"], schema["maximum"]
        for value, accepted in ((low, True), (high, True), (low - 1, False), (high + 1, False)):
            with self.subTest(name=name, value=value):
                response = self.client.get(url, {name: str(value), **(extra or {})})
                errors = response.json().get("errors", {})
                self.assertEqual(name not in errors, accepted, (value, errors))
                self.assertEqual(response.status_code == 200, accepted, response.content[:200])

    def test_every_documented_search_bound(self):
        checked = 0
        for name, parameter in self.parameters(SEARCH).items():
            schema = parameter["schema"]
            schema = schema.get("items", schema)
            if schema.get("type") == "integer":
                self.assert_bounds(SEARCH, name, schema)
                checked += 1
        self.assertEqual(checked, 7)  # indicator, aspect, domain, year_from, year_to, page, per_page

    def test_every_documented_search_choice(self):
        for name in ("region_type", "status", "sort", "verified"):
            schema = self.parameters(SEARCH)[name]["schema"]
            for value in schema.get("items", schema)["enum"]:
                with self.subTest(name=name, value=value):
                    self.assertEqual(self.client.get(SEARCH, {name: value}).status_code, 200)
            with self.subTest(name=name, value="other"):
                self.assertIn(name, self.client.get(SEARCH, {name: "lainnya"}).json()["errors"])

    def test_a_too_long_query_as_documented(self):
        longest = self.parameters(SEARCH)["q"]["schema"]["maxLength"]
        self.assertEqual(self.client.get(SEARCH, {"q": "a" * longest}).status_code, 200)
        self.assertIn("q", self.client.get(SEARCH, {"q": "a" * (longest + 1)}).json()["errors"])

    def test_repeated_and_comma_separated_values(self):
        parameter = self.parameters(SEARCH)["indicator"]
        self.assertEqual(
            (parameter["style"], parameter["explode"], parameter["schema"]["type"]), ("form", True, "array")
        )

        def count(query):
            return self.client.get(f"{SEARCH}?{query}").json()["count"]

        self.assertEqual(count("indicator=42&indicator=16"), 3)
        self.assertEqual(count("indicator=42,16"), 3)
        self.assertEqual(count("status=scaled&status=stopped"), count("status=scaled,stopped"))

    def test_every_documented_peer_bound(self):
        parameters = self.parameters("/api/v1/regions/{code}/peers/")
        self.assertEqual(
            set(parameters), {"code", "lang", "domain", "aspect", "indicator", "index", "from_year", "to_year", "limit"}
        )
        self.assert_bounds(PEERS, "limit", parameters["limit"]["schema"], {"aspect": "8"})
        years = parameters["from_year"]["schema"]
        before_last = {**years, "maximum": years["maximum"] - 1}
        self.assert_bounds(PEERS, "from_year", before_last, {"aspect": "8", "to_year": str(years["maximum"])})
        last = {"aspect": "8", "from_year": str(years["minimum"])}
        self.assertEqual(self.client.get(PEERS, {**last, "to_year": years["maximum"]}).status_code, 200)
        self.assertIn("to_year", self.client.get(PEERS, {**last, "to_year": years["maximum"] + 1}).json()["errors"])
        for scope in ("domain", "aspect", "indicator"):
            high = parameters[scope]["schema"]["maximum"]
            with self.subTest(scope=scope):  # in bounds but missing: "no aspect 999"; past them: a range error
                self.assertIn("Tidak ada", self.client.get(PEERS, {scope: high}).json()["error"])
                self.assertIn("harus antara", self.client.get(PEERS, {scope: high + 1}).json()["error"])
        self.assertEqual(self.client.get(PEERS, {"index": "1"}).json()["target"]["scope"], "index")
