# The two commands a new user needs are `make demo` and `make test`; each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint typecheck schema snapshots bench clean system axe

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: validate the catalogue and build the Warwickshire statement into report/
demo: $(STAMP)
	$(BIN)/measures validate --catalogue measures --strict
	$(BIN)/measures report

## test: lint, type-check and run the whole test suite: every test, full example counts (CI runs it)
test: $(STAMP) system axe
	$(BIN)/ruff check framework renderers tests bench scripts
	$(BIN)/ruff format --check framework renderers tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest

## test-fast: the everyday loop (under 30 s): lint, and every test neither slow nor browser, each
## property test at ten examples (--fast: tests/conftest.py; the slow tests: tests/slow.py)
test-fast: $(STAMP)
	$(BIN)/ruff check framework renderers tests bench scripts
	$(BIN)/ruff format --check framework renderers tests bench scripts
	$(BIN)/pytest -q --fast

## system: the Debian packages the browser and PDF tests of the report need (skipped where present)
system:
	@command -v chromium >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 || scripts/install-system-packages.sh

## axe: axe-core from npm, which the browser test runs to check the report against WCAG 2.2 AA
AXE_JS := tests/report/axe/node_modules/axe-core/axe.min.js
axe: $(AXE_JS)
$(AXE_JS): tests/report/axe/package.json tests/report/axe/package-lock.json
	npm ci --prefix tests/report/axe --no-audit --no-fund --silent
	touch $(AXE_JS)

lint: $(STAMP)
	$(BIN)/ruff check framework renderers tests bench scripts
	$(BIN)/ruff format --check framework renderers tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

## schema: regenerate docs/schema/*.json and docs/reference.md from the models
schema: $(STAMP)
	$(BIN)/measures schema

## snapshots: rewrite golden files and snapshots after an intended change
snapshots: $(STAMP)
	$(BIN)/pytest -q --update-snapshots

## bench: time validation, evaluation, the statement, ingest, spreadsheet reading, a sql dataset and the exact tests (ingest: ~2 min, 1.4 GB in /tmp)
bench: $(STAMP)
	$(BIN)/python bench/validate_bench.py
	$(BIN)/python bench/evaluate_bench.py
	$(BIN)/python bench/report_bench.py
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/spreadsheet_bench.py
	$(BIN)/python bench/sql_bench.py
	$(BIN)/python bench/stats_bench.py

clean:
	rm -rf $(VENV) report build tests/report/axe/node_modules *.egg-info .pytest_cache .mypy_cache .ruff_cache
