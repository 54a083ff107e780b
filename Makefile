# The two commands of the README's quick start. Both set up what they need on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test check setup setup-test bench

$(BIN)/dci-kg: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e .
	@touch $@

setup: $(BIN)/dci-kg

# the test extras, again only when pyproject.toml changes; the system tools are checked every time (cheap)
$(VENV)/.test-extras: $(BIN)/dci-kg pyproject.toml
	$(BIN)/pip install -q -e '.[test,bench]'
	@touch $@

setup-test: $(VENV)/.test-extras
	@bash scripts/setup-test.sh

# Build the store from the bundled data and answer on it.
serve: setup
	$(BIN)/dci-kg init
	$(BIN)/dci-kg serve

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n 2 --dist loadfile

# The fast unit tests (no server, no browser): seconds, for the edit-test loop. CI runs `make test`.
check: $(VENV)/.test-extras
	$(BIN)/ruff check .
	$(BIN)/pytest -q tests/unit

bench: setup-test
	$(BIN)/python -m bench
