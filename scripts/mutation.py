"""`make mutation`: mutmut over the core rule modules, each group against the tests that cover it.

mutmut 3 reads its settings from `[tool.mutmut]` in the pyproject.toml of the folder it runs in, and works in a
`mutants/` copy of that folder. So each group runs in a folder of its own, .cache/mutation/<group>/, whose
pyproject.toml is the project's with the group's `only_mutate` and `pytest_add_cli_args_test_selection` added to
the shared `[tool.mutmut]` settings; the project's files are linked into it (mutmut copies them into `mutants/`).

Every test session of a mutant starts from a copy of one SQLite test database migrated at the start
(tests/mutation_db.py): migrating anew for each of the hundreds of mutants would take most of the run.

    .venv/bin/python scripts/mutation.py            # every group
    .venv/bin/python scripts/mutation.py sanitizer  # some groups, by name
    .venv/bin/python scripts/mutation.py --list     # the groups, their modules and tests

It ends with one line: `mutation: K killed of N (S survived)`; every survivor is printed above it, and
docs/testing.md lists the known survivors with the reason each is left (equivalent mutant, or the test that now
kills it). Mutants that time out count as killed (the tests did not pass); "no tests" (code no selected test
runs) counts as survived.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".cache" / "mutation"
TEMPLATE_DB = WORK / "test-template.sqlite3"
LINKED = ["cms", "casestudies", "search", "livinglab", "tests", "templates", "locale", "static", "docs", "manage.py"]

# group → (modules to mutate, the tests that cover them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "sanitizer": (
        ["cms/sanitize.py", "cms/rich_text_entities.py"],
        ["tests/cms/test_sanitizer.py", "tests/cms/test_rich_text_references.py"],
    ),
    "formula": (
        ["casestudies/scores/formula.py"],
        ["tests/casestudies/test_scores.py", "tests/casestudies/test_reference_data.py"],
    ),
    "claims-peers": (
        ["casestudies/scores/claims.py", "casestudies/peers.py"],
        [
            "tests/casestudies/test_peers.py",
            "tests/casestudies/test_score_summaries.py",
            "tests/casestudies/test_claim_rules.py",
            "tests/casestudies/test_peer_rules.py",
        ],
    ),
    "case-study-import": (
        ["casestudies/exchange.py"],
        ["tests/casestudies/test_exchange.py"],
    ),
    "score-import": (
        ["casestudies/scores/importer.py", "casestudies/scores/import_rows.py"],
        ["tests/casestudies/test_score_import.py", "tests/casestudies/test_score_import_rules.py"],
    ),
    "search-engine": (
        ["search/backends/database/base.py", "search/backends/document_table.py"],
        ["tests/search/test_backends.py", "tests/search/test_contract.py"],
    ),
    "elasticsearch": (
        [
            "search/backends/elasticsearch/queries.py",
            "search/backends/elasticsearch/responses.py",
            "search/backends/elasticsearch/mapping.py",
            "search/backends/elasticsearch/backend.py",
        ],
        ["tests/search/test_elasticsearch_queries.py"],
    ),
}

KILLED = {"killed", "timeout", "caught by type check", "segfault"}


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def group_pyproject(modules: list[str], tests: list[str]) -> str:
    """The project's pyproject.toml, its [tool.mutmut] section completed for one group."""
    text = (ROOT / "pyproject.toml").read_text()
    shared = tomllib.loads(text)["tool"]["mutmut"]
    section = {**shared, "only_mutate": modules, "pytest_add_cli_args_test_selection": tests}
    body = "\n".join(f"{key} = {toml_value(value)}" for key, value in section.items())
    without = re.sub(r"^\[tool\.mutmut\]\n(?:(?!\[).*\n)*", "", text, flags=re.MULTILINE)
    return f"{without.rstrip()}\n\n[tool.mutmut]\n{body}\n"


def prepare(name: str, modules: list[str], tests: list[str], *, fresh: bool) -> Path:
    folder = WORK / name
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for entry in LINKED:
        link = folder / entry
        if not link.is_symlink():
            link.symlink_to(ROOT / entry)
    (folder / "pyproject.toml").write_text(group_pyproject(modules, tests))
    return folder


def make_template_db(env: dict) -> None:
    """Migrate the test database once (and load the reference data into it) for every mutant's session to copy."""
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.mutation_db", "--reuse-db", "-p", "no:cacheprovider",
         "tests/cms/test_data_version.py"],
        cwd=ROOT, env={**env, "MUTATION_TEST_DB_CREATE": "1"}, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    print(f"mutation: test database migrated once in {time.monotonic() - started:.0f} s", flush=True)


def results(folder: Path, modules: list[str]) -> dict[str, str]:
    """mutant name → status, from mutmut's files in mutants/ (`mutmut results` reads the same)."""
    from mutmut.stats import status_by_exit_code

    statuses = {}
    for module in modules:
        meta = folder / "mutants" / f"{module}.meta"
        if meta.exists():
            for key, code in json.loads(meta.read_text())["exit_code_by_key"].items():
                statuses[key] = status_by_exit_code[code]
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", help=f"groups to run (default: all): {', '.join(GROUPS)}")
    parser.add_argument("--list", action="store_true", help="list the groups and stop")
    parser.add_argument("--keep", action="store_true", help="keep earlier results (mutmut re-runs what changed)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    if args.list:
        for name, (modules, tests) in GROUPS.items():
            print(f"{name}: {' '.join(modules)}\n    tests: {' '.join(tests)}")
        return 0
    unknown = set(args.groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")
    chosen = args.groups or list(GROUPS)
    env = {
        **os.environ,
        "MUTATION_TEST_DB_TEMPLATE": str(TEMPLATE_DB),
        "DJANGO_SETTINGS_MODULE": "livinglab.settings.test",
    }
    env.pop("DATABASE_URL", None)  # the copies are SQLite files
    make_template_db(env)
    killed = total = 0
    survivors = []
    for name in chosen:
        modules, tests = GROUPS[name]
        folder = prepare(name, modules, tests, fresh=not args.keep)
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)],
            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        (folder / "mutmut-run.log").write_text(run.stdout)
        statuses = results(folder, modules)
        if run.returncode != 0 or not statuses:
            print(run.stdout[-3000:])
            print(f"mutation: mutmut failed for {name} (exit {run.returncode}); log: {folder / 'mutmut-run.log'}")
            return 1
        group_killed = sum(status in KILLED for status in statuses.values())
        killed += group_killed
        total += len(statuses)
        group_survivors = sorted((key, status) for key, status in statuses.items() if status not in KILLED)
        survivors += group_survivors
        print(
            f"{name}: {group_killed} killed of {len(statuses)} in {time.monotonic() - started:.0f} s"
            f" ({len(statuses) and 100 * group_killed // len(statuses)} %)",
            flush=True,
        )
        for key, status in group_survivors:
            print(f"    {status}: {key}")
    print("survivors: `cd .cache/mutation/<group> && mutmut show <name>`; their reasons: docs/testing.md")
    print(f"mutation: {killed} killed of {total} ({total - killed} survived)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
