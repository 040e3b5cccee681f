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

It ends with one line: `mutation: K killed of N (S survived)`, after each group's and module's share killed and
the survivors that have no reason yet. It rewrites the survivor table of docs/testing.md for the groups it ran,
keeping the reason written there for a survivor already listed (equivalent, or performance only). Mutants that
time out count as killed (the tests did not pass); "no tests" (code no selected test runs) counts as survived.
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
        [
            "tests/search/test_backends.py",
            "tests/search/test_contract.py",
            "tests/search/test_engine_rules.py",
            "tests/search/test_database_engine_rules.py",
        ],
    ),
    "elasticsearch": (
        [
            "search/backends/elasticsearch/queries.py",
            "search/backends/elasticsearch/responses.py",
            "search/backends/elasticsearch/mapping.py",
            "search/backends/elasticsearch/backend.py",
        ],
        ["tests/search/test_elasticsearch_queries.py", "tests/search/test_elasticsearch_rules.py"],
    ),
}

KILLED = {"killed", "timeout", "caught by type check", "segfault"}

# docs/testing.md keeps the survivors of the last run of each group, each with its reason; this script rewrites the
# rows of the groups it ran, carrying over the reason of a survivor already listed.
DOC = ROOT / "docs" / "testing.md"
START, END = "<!-- survivors: rewritten by scripts/mutation.py -->", "<!-- /survivors -->"
ROW = re.compile(r"^\| (\S+) \| `([^`]+)` \| ([^|]+) \| (.*) \|$", re.MULTILINE)
NO_REASON = "**no reason yet**"


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


def survivor_rows() -> dict[str, tuple[str, str, str]]:
    """mutant name → (group, status, reason) as docs/testing.md lists them now."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(START, 1)[1].split(END, 1)[0] if START in text else ""
    return {name: (group, status.strip(), reason.strip()) for group, name, status, reason in ROW.findall(section)}


def write_survivors(ran: dict[str, list[tuple[str, str]]]) -> int:
    """Rewrite the rows of the groups that ran; returns how many survivors have no reason."""
    rows = survivor_rows()
    reasons = {name: reason for name, (_g, _s, reason) in rows.items() if reason != NO_REASON}
    rows = {name: row for name, row in rows.items() if row[0] not in ran}
    for group, survivors in ran.items():
        for name, status in survivors:
            rows[name] = (group, status, reasons.get(name, NO_REASON))
    order = list(GROUPS)
    lines = ["| group | mutant | status | why it is left |", "|---|---|---|---|"]
    for name, (group, status, reason) in sorted(rows.items(), key=lambda item: (order.index(item[1][0]), item[0])):
        lines.append(f"| {group} | `{name}` | {status} | {reason} |")
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{START}\n{chr(10).join(lines)}\n{END}{after}", encoding="utf-8")
    return sum(reason == NO_REASON for _g, _s, reason in rows.values())


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
    explained = {name for name, (_g, _s, reason) in survivor_rows().items() if reason != NO_REASON}
    killed = total = 0
    survivors, ran = [], {}
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
        ran[name] = group_survivors
        print(
            f"{name}: {group_killed} killed of {len(statuses)} in {time.monotonic() - started:.0f} s"
            f" ({len(statuses) and 100 * group_killed // len(statuses)} %)",
            flush=True,
        )
        for module in modules:
            prefix = module.removesuffix(".py").replace("/", ".") + "."
            mine = [status for key, status in statuses.items() if key.startswith(prefix)]
            caught = sum(status in KILLED for status in mine)
            print(f"    {module}: {caught} killed of {len(mine)} ({len(mine) and 100 * caught // len(mine)} %)")
        for key, status in group_survivors:
            if key not in explained:
                print(f"    {status}, no reason yet: {key}")
    unexplained = write_survivors(ran)
    print("survivors: `cd .cache/mutation/<group> && mutmut show <name>`; their reasons: docs/testing.md")
    if unexplained:
        print(f"mutation: {unexplained} survivor(s) in docs/testing.md have no reason yet")
    print(f"mutation: {killed} killed of {total} ({total - killed} survived)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
