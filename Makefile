# Two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test test-postgres fuzz lint bench clean migration

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

## run: set up and replay the bundled example plan on an accelerated virtual clock
run: $(STAMP)
	$(BIN)/nhacviec run --config config.toml --replay-from 2024-01-02 --speed 43200

## test: set up, lint (see lint) and run the whole suite (the same command CI runs)
test: $(STAMP) lint
	$(BIN)/python -m pytest

## fuzz: the property tests with fresh random examples (make test repeats the same ones)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q $$(grep -rl "@given" tests)

## test-postgres: the suite again on PostgreSQL (NHACVIEC_TEST_DATABASE_URL, or a throw-away local cluster)
test-postgres: $(STAMP)
	PYTHON=$(BIN)/python tools/test_postgres.sh

## lint: ruff (rules and format), the import contract, no import cycles, mypy
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/check_import_cycles.py
	$(BIN)/python tools/check_source_rules.py
	$(BIN)/mypy

## bench: print the benchmark figures (never asserted)
bench: $(STAMP)
	$(BIN)/python -m bench

## migration: regenerate the initial Alembic migration from the models (pre-release only)
migration: $(STAMP)
	$(BIN)/python -m scheduler.db regenerate-initial

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
