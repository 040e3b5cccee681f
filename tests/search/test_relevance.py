"""Search quality on the demo corpus: ≥ 36 judged officer queries (tests/search/judgments.json, judged by reading
the case studies, not from any engine's output) reach nDCG@10 ≥ 0.8. `scripts/evaluate_search.py` prints it."""

from django.test import TestCase

from casestudies.demo_data import DEMO_DIR, PENDING
from casestudies.exchange import import_file
from casestudies.services import site_structure_ensure
from search.evaluation import JUDGMENTS, evaluate, ndcg_at


class NdcgTests(TestCase):
    def test_formula(self):
        self.assertEqual(ndcg_at(["a", "b"], {"a": 3, "b": 1}), 1.0)
        self.assertAlmostEqual(ndcg_at(["b", "a"], {"a": 3, "b": 1}), (1 + 7 / 1.5849625) / (7 + 1 / 1.5849625), 6)
        self.assertEqual(ndcg_at(["x"], {"a": 2}), 0.0)


class DemoCorpusRelevanceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        site_structure_ensure()
        for path in sorted(DEMO_DIR.glob("case_studies_*.jsonl")):
            import_file(path, publish=True, demo=True, keep_unpublished=PENDING)

    def test_judged_queries_reach_ndcg_0_8(self):
        mean, scores = evaluate(JUDGMENTS)
        self.assertGreaterEqual(len(scores), 36)
        worst = ", ".join(f"{s.q!r} {s.ndcg:.2f}" for s in sorted(scores, key=lambda s: s.ndcg)[:5])
        self.assertGreaterEqual(mean, 0.8, f"nDCG@10 {mean:.3f}; worst: {worst}")
