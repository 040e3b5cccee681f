"""Schemathesis over /api/v1/openapi.json, against the application itself (WSGI, in the test's transaction): the
documented examples, then generated requests — valid ones (positive) and invalid ones (negative) — for every
operation. No answer is a 5xx, and every answer (200 JSON or CSV, 400, 404) is one the schema documents, with
its documented body.

Bounded: SCHEMATHESIS_EXAMPLES (default 50) generated requests per operation and mode; `-s` prints how many were
sent. The data is the search corpus (six case studies in two regions) and the official SPBE results that ship
as reference data (scores and peers of every region)."""

import os
import time
from contextlib import contextmanager

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from casestudies.models import Indicator, Region
from tests.search.scenario import SearchCorpusTestCase

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "50"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@contextmanager
def one_transaction():
    """Requests through WSGI keep the test's database connection (and transaction), as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class SchemathesisTests(SearchCorpusTestCase):
    def test_no_server_error_and_every_answer_is_documented(self):
        sent, statuses = 0, {}
        started = time.monotonic()
        codes = st.sampled_from(sorted(Region.objects.values_list("code", flat=True)))
        numbers = st.sampled_from([str(n) for n in Indicator.objects.values_list("number", flat=True).distinct()])
        with one_transaction():
            schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
            operations = [result.ok() for result in schema.get_all_operations()]
            self.assertEqual(len(operations), 5)
            for operation in operations:
                strategies = [
                    *schema.get_strategies_from_examples(operation),
                    operation.as_strategy(schemathesis.GenerationMode.POSITIVE),
                    operation.as_strategy(schemathesis.GenerationMode.NEGATIVE),
                ]
                if "{code}" in operation.path:  # also regions that exist, so that parameters meet real scores
                    target = {"domain": "4"} if "peers" in operation.path else None  # peers need one target
                    strategies.append(
                        codes.flatmap(
                            lambda code, op=operation, query=target: op.as_strategy(
                                path_parameters={"code": code}, query=query
                            )
                        )
                    )
                if "{number}" in operation.path:  # also indicators that exist, and regions to learn for
                    strategies.append(
                        st.tuples(numbers, codes).flatmap(
                            lambda pair, op=operation: op.as_strategy(
                                path_parameters={"number": pair[0]}, query={"for_region": pair[1]}
                            )
                        )
                    )
                for strategy in strategies:

                    @given(case=strategy)
                    @settings(
                        max_examples=EXAMPLES,
                        deadline=None,
                        database=None,
                        derandomize=True,
                        phases=[Phase.explicit, Phase.generate],
                        suppress_health_check=list(HealthCheck),
                    )
                    def call(case):
                        nonlocal sent
                        sent += 1
                        response = case.call_and_validate(checks=CHECKS)
                        key = (case.operation.path, response.status_code)
                        statuses[key] = statuses.get(key, 0) + 1

                    call()
        seconds = time.monotonic() - started
        print(f"\nschemathesis: {sent} requests in {seconds:.0f} s, statuses {sorted(statuses.items())}")  # noqa: T201
        for operation in operations:  # each operation answered at least once with its data and once refused
            answered = {status for (path, status) in statuses if path == operation.path}
            self.assertIn(200, answered, operation.path)
            self.assertIn(400, answered, operation.path)
