"""A pytest plugin for `make mutation` (scripts/mutation.py) only: every test session gets its own copy of one
SQLite test database that was migrated once, instead of migrating a new one (~17 s) for each of the hundreds of
mutants. Used with `--reuse-db`; off unless MUTATION_TEST_DB_TEMPLATE names the migrated file.

- MUTATION_TEST_DB_CREATE=1: this session migrates the template itself (the driver does this once).
- otherwise: the template is copied to a file of this process's own (mutmut runs two mutants at once, in forked
  processes), used, and removed when the session ends.
"""

import os
import shutil
from pathlib import Path

_copies: list[Path] = []


def _use(name: Path) -> None:
    from django.conf import settings
    from django.db import connections

    for config in (settings.DATABASES["default"], connections["default"].settings_dict):
        config.setdefault("TEST", {})["NAME"] = str(name)
    connections["default"].close()


def pytest_sessionstart(session) -> None:
    template = os.environ.get("MUTATION_TEST_DB_TEMPLATE")
    if not template:
        return
    template = Path(template)
    if os.environ.get("MUTATION_TEST_DB_CREATE"):
        template.unlink(missing_ok=True)
        _use(template)
        return
    copy = template.with_name(f"{template.stem}-{os.getpid()}.sqlite3")
    shutil.copyfile(template, copy)
    _copies.append(copy)
    os.environ["LIVINGLAB_TEST_DB_HAS_REFERENCE_DATA"] = "1"  # tests/conftest.py: the template has it
    _use(copy)


def pytest_sessionfinish(session, exitstatus) -> None:
    from django.db import connections

    connections["default"].close()
    while _copies:
        _copies.pop().unlink(missing_ok=True)
