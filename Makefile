# Living Lab — `make demo` runs the site, `make test` proves it. `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/livinglab
HOST ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
.PHONY: help venv install setup-browser migrate demo-data demo serve test test-sqlite test-postgres postgres-up lint format migrations-check messages screenshots mutation named-mutants clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python ## Create .venv and install the pinned dependencies
	$(BIN)/pip install --quiet -r requirements-dev.txt

AXE_VERSION := 4.14.1
AXE := .cache/npm/node_modules/axe-core/axe.min.js

setup-browser: $(AXE) ## Install Debian's chromium for the browser tests (never a downloaded browser build) and axe-core
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium…"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; \
	fi

$(AXE):
	npm install --silent --no-save --no-audit --no-fund --prefix .cache/npm axe-core@$(AXE_VERSION)

messages: install ## Compile translations (.po → .mo)
	cd . && $(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: install messages ## Apply migrations to the local SQLite database
	$(BIN)/python manage.py migrate --noinput -v0

demo-data: migrate ## Load reference data, demo accounts and demo case studies (idempotent)
	$(BIN)/python manage.py load_demo_data

serve: ## Serve on $(HOST)
	$(BIN)/python manage.py runserver $(HOST)

demo: demo-data serve ## Set everything up and serve the demo site on http://127.0.0.1:8000

postgres-up: ## Start the local PostgreSQL cluster if it is down
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 0.5; done; echo "PostgreSQL did not start"; exit 1

test-sqlite: install messages setup-browser ## Run the whole suite on SQLite
	$(BIN)/python -m pytest

test-postgres: install messages setup-browser postgres-up ## Run the whole suite on PostgreSQL (creates and drops test_livinglab)
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest

test: migrations-check lint test-sqlite test-postgres ## Set up and run everything: lint, migrations check, SQLite and PostgreSQL suites

mutation: install messages ## Mutation testing (mutmut) of the core rules, each group against its tests: docs/testing.md
	$(BIN)/python scripts/mutation.py $(GROUPS)

named-mutants: install messages ## The deliberate rule breaks of issue 16, each with the tests that must catch it
	$(BIN)/python scripts/named_mutants.py

migrations-check: install ## Fail when models and migrations disagree
	DJANGO_SETTINGS_MODULE=livinglab.settings.test $(BIN)/python manage.py makemigrations --check --dry-run --noinput -v1

lint: install ## ruff lint and format check; the import floors and no import circles (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install ## ruff fix and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

screenshots: install setup-browser ## Screenshots of the main pages of a running demo into screenshots/
	$(BIN)/python scripts/screenshots.py http://$(HOST) screenshots

clean: ## Remove the venv, the SQLite database and uploaded media
	rm -rf $(VENV) db.sqlite3 media .test-media staticfiles
