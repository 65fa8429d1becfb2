# Two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared/data
MIRROR_ARGS := $(if $(wildcard $(SHARED)/paperlists),--mirror $(SHARED)/paperlists,)
SHARED_ARGS := $(if $(wildcard $(SHARED)),--shared $(SHARED),)

.PHONY: run test venv dev lint bench clean

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
	$(BIN)/splitscope report --out report

test: dev
	$(BIN)/python -m pytest -q

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: venv
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) splitscope.duckdb report
