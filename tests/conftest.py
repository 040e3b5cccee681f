import os

from django.core.management import call_command

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped reference data (taxonomy, regions) once into the test database (unless it is a copy of a
    database that has it: `make mutation`, tests/mutation_db.py)."""
    if os.environ.get("LIVINGLAB_TEST_DB_HAS_REFERENCE_DATA"):
        return
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the database rolls back between tests; a cache would not)."""
    from django.core.cache import cache

    from cms.data_version import forget_process_memory
    from search.backends import document_table

    cache.clear()
    forget_process_memory()
    document_table._current[:] = [None, None]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Playwright's sync API allows one instance per process), shared by
    tests/browser and the deployment smoke test in tests/processes."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()
