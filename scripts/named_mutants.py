"""The named mutants of issue 16: deliberate breaks of the core rules, each with the tests that must catch it.

For each mutant: apply it in a throw-away copy of the tree (the working tree is never touched), run its tests,
and print killed (the tests failed) or SURVIVED (they passed). The tests must pass on the unmutated copy first.

    .venv/bin/python scripts/named_mutants.py                 # every mutant, with the tests of this tree
    .venv/bin/python scripts/named_mutants.py claims-fallback # some, by name
    .venv/bin/python scripts/named_mutants.py --tests-from main  # the tests of another commit (e.g. before the
                                                                 # killing tests were added): their test files run

It ends with `named mutants: K killed of N (S survived)` and exits non-zero when one survived.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    rule: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = [
    Mutant(
        "sanitizer-data-scheme",
        "links keep only http(s)/mailto/tel URLs",
        "cms/sanitize.py",
        'URL_SCHEMES = {"http", "https", "mailto", "tel"}',
        'URL_SCHEMES = {"http", "https", "mailto", "tel", "data"}',
        ("tests/cms/test_sanitizer.py::SanitizerFunctionTests",),
    ),
    Mutant(
        "sanitizer-onclick-rendered",
        "no event handler reaches a browser",
        "cms/sanitize.py",
        '    "a": {"href", "title"},',
        '    "a": {"href", "title", "onclick"},',
        ("tests/cms/test_sanitizer.py::SanitizerFunctionTests",),
    ),
    Mutant(
        "case-study-import-atomic",
        "a case-study import writes every line or none",
        "casestudies/exchange.py",
        "    with transaction.atomic():\n        errors: list[LineError] = []",
        "    if True:\n        errors: list[LineError] = []",
        ("tests/casestudies/test_exchange.py::WriteFailureTests",),
    ),
    Mutant(
        "score-import-atomic",
        "a score import writes every row or none",
        "casestudies/scores/importer.py",
        "    with transaction.atomic():\n        report = _write(",
        "    if True:\n        report = _write(",
        ("tests/casestudies/test_score_import.py::WriteFailureTests",),
    ),
    Mutant(
        "claims-fallback-second",
        "a practice that starts before any evaluation is measured from the first one",
        "casestudies/scores/claims.py",
        "or years[:1]",
        "or years[1:2]",
        ("tests/casestudies/test_peers.py::ClaimVerificationTests",),
    ),
    Mutant(
        "claims-fallback-gone",
        "a practice that starts before any evaluation is measured from the first one",
        "casestudies/scores/claims.py",
        "    starts = [y for y in years if y <= year_start] or years[:1]\n",
        "    starts = [y for y in years if y <= year_start]\n    if not starts:\n        return False\n",
        ("tests/casestudies/test_peers.py::ClaimVerificationTests",),
    ),
    Mutant(
        "search-first-aspect-only",
        "a case study is found under every aspect it claims",
        "search/documents.py",
        '"aspect_set": ",".join(str(n) for n in sorted({c.indicator.aspect.number for c in page_claims})),',
        '"aspect_set": ",".join(str(n) for n in sorted({c.indicator.aspect.number for c in page_claims})[:1]),',
        ("tests/search/test_engine_rules.py",),
    ),
    Mutant(
        "search-verified-mask-never-set",
        "the verified filter keeps the case studies whose claims the scores confirm",
        "search/backends/document_table.py",
        '                add("verified", "1", o)',
        "                pass",
        ("tests/search/test_engine_rules.py",),
    ),
    Mutant(
        "search-improvement-ignores-gain",
        'the "improvement" sort puts the largest verified gain first',
        "search/backends/database/base.py",
        "return (g is not None, g or 0, scores.get(o, 0.0), -newest[o])",
        "return (g is not None, scores.get(o, 0.0), -newest[o])",
        ("tests/search/test_engine_rules.py",),
    ),
    Mutant(
        "search-facet-widening-noop",
        "a chosen facet still offers its other values (engines with conjunctive facets)",
        "search/service.py",
        '    number they would add (the usual multi-select facet); the other facets keep every filter."""\n',
        '    number they would add (the usual multi-select facet); the other facets keep every filter."""\n'
        "    return\n",
        ("tests/search/test_engine_rules.py",),
    ),
    Mutant(
        "formula-predicate-bounds",
        "predicate bands are [min, max): a value on a bound takes the upper band",
        "casestudies/scores/formula.py",
        "if low <= value < high:",
        "if low < value <= high:",
        ("tests/casestudies/test_scores.py::OfficialFormulaTests",),
    ),
    Mutant(
        "formula-no-domain-index",
        "without domains, the index is the aspects weighed by their percentages",
        "casestudies/scores/formula.py",
        "index = sum(aspects[a] * weights.aspect_weight[a] for a in aspects) / 100 if complete else None",
        "index = sum(aspects[a] * weights.aspect_weight[a] for a in aspects) / 10 if complete else None",
        ("tests/casestudies/test_scores.py::FrameworkWithoutDomainsTests",),
    ),
    Mutant(
        "elasticsearch-squatting-index-kept",
        "a rebuild removes a concrete index squatting the alias's name",
        "search/backends/elasticsearch/backend.py",
        '            if es.indices.exists(index=self.alias):\n                actions.append({"remove_index": {"index": self.alias}})\n',
        "            pass\n",
        ("tests/search/test_elasticsearch_queries.py",),
    ),
    Mutant(
        "elasticsearch-float-facet-keys",
        "facet values read the same from every engine",
        "search/backends/elasticsearch/responses.py",
        "    if isinstance(key, float) and key.is_integer():\n        key = int(key)\n",
        "",
        ("tests/search/test_elasticsearch_queries.py",),
    ),
    Mutant(
        "search-page-ignores-the-officers-region",
        "an officer's search ranks the peers of their own region",
        "search/params.py",
        "region=searcher or region_of_user(user),",
        "region=searcher,",
        ("tests/search/test_pages.py::PeerSearchPageTests",),
    ),
    Mutant(
        "case-study-peer-panel-empty",
        "a case study's page lists the regions that rose on its aspect",
        "casestudies/templatetags/casestudies_tags.py",
        '"peers": peers_for(region, Target("aspect", primary.aspect.number, primary.framework), limit=5),',
        '"peers": [],',
        ("tests/casestudies/test_dashboard.py::CaseStudyPeerPanelTests",),
    ),
    Mutant(
        "dashboard-weak-domain-without-peers",
        "the dashboard lists the regions that rose on the region's weakest domain",
        "casestudies/dashboard/context.py",
        'peers=peers_for(region, Target("domain", number, framework), limit=peers_per_aspect),',
        "peers=[],",
        ("tests/casestudies/test_dashboard.py::RegionDashboardTests",),
    ),
]


def copy_tree(target: Path, tests_from: str | None) -> None:
    """The files git tracks or would (and the compiled translations) into `target`; the tests of another commit if asked."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for mo in ROOT.glob("locale/*/LC_MESSAGES/*.mo"):
        shutil.copy2(mo, target / mo.relative_to(ROOT))
    if tests_from:
        shutil.rmtree(target / "tests")
        archive = subprocess.run(["git", "archive", tests_from, "tests"], cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
        # The plugin that copies the migrated database is this tree's, whatever the tests' commit.
        shutil.copy2(ROOT / "tests" / "mutation_db.py", target / "tests" / "mutation_db.py")


def selected(tests: tuple[str, ...], tree: Path, tests_from: str | None) -> list[str]:
    """The node ids to run; with another commit's tests, the files of these ids that it has."""
    if not tests_from:
        return list(tests)
    files = dict.fromkeys(t.split("::")[0] for t in tests)
    return [f for f in files if (tree / f).exists()]


def run_tests(tree: Path, tests: list[str], env: dict) -> int:
    if not tests:
        return 5  # pytest's "no tests collected"
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "tests.mutation_db", "--reuse-db",
               "-p", "no:cacheprovider", *tests]  # fmt: skip
    return subprocess.run(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--tests-from", help="a git commit whose tests/ to run instead of this tree's")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    by_name = {m.name: m for m in MUTANTS}
    if args.list:
        for m in MUTANTS:
            print(f"{m.name}: {m.rule}\n    {m.path}; {' '.join(m.tests)}")
        return 0
    unknown = set(args.names) - set(by_name)
    if unknown:
        parser.error(f"unknown mutant(s): {', '.join(sorted(unknown))}")
    chosen = [by_name[n] for n in args.names] if args.names else MUTANTS
    with tempfile.TemporaryDirectory(prefix="named-mutants-") as tmp:
        tree = Path(tmp) / "tree"
        copy_tree(tree, args.tests_from)
        template = Path(tmp) / "test-template.sqlite3"
        env = {
            **os.environ,
            "MUTATION_TEST_DB_TEMPLATE": str(template),
            "DJANGO_SETTINGS_MODULE": "livinglab.settings.test",
        }
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "tests.mutation_db", "--reuse-db", "-p", "no:cacheprovider",
             "tests/cms/test_data_version.py"],
            cwd=tree, env={**env, "MUTATION_TEST_DB_CREATE": "1"}, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        everything = sorted({t for m in chosen for t in selected(m.tests, tree, args.tests_from)})
        if run_tests(tree, everything, env) != 0:
            print(f"the tests fail without any mutant: {' '.join(everything)}")
            return 2
        killed = 0
        for mutant in chosen:
            target = tree / mutant.path
            original = target.read_text()
            if original.count(mutant.old) != 1:
                print(f"    error  {mutant.name}: its text is not in {mutant.path} exactly once; update the mutant")
                continue
            target.write_text(original.replace(mutant.old, mutant.new))
            started = time.monotonic()
            try:
                code = run_tests(tree, selected(mutant.tests, tree, args.tests_from), env)
            finally:
                target.write_text(original)
            verdict = "SURVIVED" if code in (0, 5) else "killed"  # 5: no test of it exists
            killed += verdict == "killed"
            print(f"{verdict:>9}  {mutant.name} ({mutant.rule}; {time.monotonic() - started:.0f} s)", flush=True)
    print(f"named mutants: {killed} killed of {len(chosen)} ({len(chosen) - killed} survived)")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
