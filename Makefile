# Two commands for a fresh machine: `make run` and `make test`. `make help` lists the rest.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.DEFAULT_GOAL := help
.PHONY: help run test test-pg lint format bench demo-data init-db clean browser-deps

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime ## Serve the portal on http://127.0.0.1:8050 (SQLite + demo data by default)
	$(PY) -m flask --app app init-db
	AUTO_DEMO_DATA=1 $(PY) app.py

init-db: $(VENV)/.runtime ## Migrate the database at DATABASE_URL to the newest revision
	$(PY) -m flask --app app init-db

demo-data: $(VENV)/.runtime ## Load the demo customers into an empty database
	$(PY) -m flask --app app demo-data

test: $(VENV)/.dev browser-deps ## Run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL says so)
	$(PY) -m pytest

# Browser tests drive Debian's Chromium through Playwright (never `playwright install`: no
# browser download) and inject npm's axe-core. Each part is installed only when missing.
CHROMIUM := /usr/bin/chromium
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

browser-deps: $(CHROMIUM) node_modules/.installed ## Chromium (apt) and axe-core (npm) for the browser tests, if missing

$(CHROMIUM):
	@echo "$(CHROMIUM) is missing: installing Debian's chromium + chromium-driver (~35 s, ~500 MB)"
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver

node_modules/.installed: package.json package-lock.json
	@echo "axe-core missing or outdated: installing the locked npm packages into node_modules/"
	npm ci --no-audit --no-fund
	@touch $@

test-pg: ## The same suite against the local PostgreSQL
	DATABASE_URL=$(PG_URL) $(MAKE) test

lint: $(VENV)/.dev ## ruff (lint + format check) and the import-layer contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.dev ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.dev ## Meter-data and dashboard benchmarks (SQLite + the local PostgreSQL): tables, bench/results.json
	PG_URL=$(PG_URL) $(PY) bench/meterdata.py
	PG_URL=$(PG_URL) $(PY) bench/dashboards.py

clean: ## Remove the venv and local databases
	rm -rf $(VENV) instance .pytest_cache .hypothesis
