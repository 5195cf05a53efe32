# Two commands on a fresh machine: `make run` (app on the embedded demo database) and
# `make test` (the whole suite). Everything else here is for maintainers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501

.PHONY: run test check lint types audit lock demo-db clean-db bench

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

## Start the dashboard; on first run this creates and seeds the embedded demo database.
run: $(STAMP)
	$(PY) -m services init-db
	$(PY) -m services demo --if-empty
	$(VENV)/bin/streamlit run asgi.py --server.port $(PORT)

## Run the whole test suite (PostgreSQL and browser tests skip with a reason unless CI=true),
## after the import rules in pyproject.toml ([tool.importlinter]).
test: $(STAMP)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

## Issue #7's benchmark: three scales on SQLite and PostgreSQL, one table, written to bench/RESULTS.md (~45 min).
bench: $(STAMP)
	$(PY) -m bench --out bench/RESULTS.md

## Lint, format check, import rules, type check of services/ and dependency audit.
check: lint types audit

lint: $(STAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP)
	$(VENV)/bin/mypy services

audit: $(STAMP)
	$(VENV)/bin/pip-audit -r requirements.txt

lock: $(STAMP)
	grep '^#' constraints.txt > constraints.txt.new
	$(PY) -m pip freeze | grep -v '^-e' >> constraints.txt.new && mv constraints.txt.new constraints.txt

clean-db:
	rm -f data/linli.db data/linli.db-wal data/linli.db-shm
