# Everything a user needs: `make build` and `make test` set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
BASE_URL ?=
BUILD_FLAGS := $(if $(BASE_URL),--base-url $(BASE_URL))
EVAL_DATA ?= ../shared/eval
BENCH_N ?= 10000

.PHONY: build serve test lint eval bench clean distclean help new

help:
	@echo "make build   build the site into _site/ (or site.yaml's output_dir)"
	@echo "make serve   build, serve on http://127.0.0.1:$(PORT) and rebuild on change"
	@echo "make test    run the test suite"
	@echo "make eval    measure extraction quality on EVAL_DATA=$(EVAL_DATA)"
	@echo "make clean   remove build outputs, caches and .venv"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

build: $(VENV)/.installed
	$(BIN)/python -m generator build $(BUILD_FLAGS)

serve: $(VENV)/.installed
	$(BIN)/python -m generator serve --port $(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

eval: $(VENV)/.installed
	$(BIN)/python -m generator.evaluate --data $(EVAL_DATA)

clean:
	rm -rf _site .cache .pytest_cache .mypy_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

new: $(VENV)/.installed
	$(BIN)/python -m generator new "$(TITLE)"
