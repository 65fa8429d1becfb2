# Two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared/data
MIRROR_ARGS := $(if $(wildcard $(SHARED)/paperlists),--mirror $(SHARED)/paperlists,)
SHARED_ARGS := $(if $(wildcard $(SHARED)),--shared $(SHARED),)

.PHONY: run test venv dev lint docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install -q -e .

dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,spark]'
	@# The report's browser test needs Debian's chromium; install it when we can (root), else say why.
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		echo "chromium not installed (needs root: apt-get install -y chromium); browser tests will skip"; }

run: venv
	$(BIN)/splitscope build --venues all $(MIRROR_ARGS) $(SHARED_ARGS)
	@# 2010-2024: before 2010 the corpus is a handful of venues (NeurIPS alone until 1995), and 2025 is
	@# only partly published; a headline comparing 1987 with 2025 would measure the venue mix, not people.
	$(BIN)/splitscope report --out report --years 2010-2024

test: dev
	$(BIN)/python -m pytest -q

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

docs: venv
	$(BIN)/python -m splitscope.cli.reference docs/cli.md

bench: venv
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) splitscope.duckdb report
