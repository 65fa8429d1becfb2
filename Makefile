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
