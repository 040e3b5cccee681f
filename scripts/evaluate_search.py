"""Print nDCG@10 of the search service on the judged officer queries (tests/search/judgments.json).

Usage (after `make demo-data`, against the local database):  .venv/bin/python scripts/evaluate_search.py [-v]
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings.dev")


def main() -> None:
    import django

    django.setup()
    from search.evaluation import evaluate

    mean, scores = evaluate()
    if "-v" in sys.argv:
        for s in sorted(scores, key=lambda s: s.ndcg):
            print(f"{s.ndcg:5.2f}  {s.q!r:40} {' '.join(s.top[:5])}")
    print(f"nDCG@10 over {len(scores)} judged queries: {mean:.3f}")


if __name__ == "__main__":
    main()
