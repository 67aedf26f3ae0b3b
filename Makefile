# Everything a user needs: `make build` and `make test` set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
BASE_URL ?=
BUILD_FLAGS := $(if $(BASE_URL),--base-url $(BASE_URL))
EVAL_DATA ?= ../shared/eval
BENCH_N ?= 10000
BROWSER_TESTS := tests/browser

.PHONY: build serve test test-browser lint eval bench clean distclean help new

help:
	@echo "make build   build the site into _site/ (or site.yaml's output_dir)"
	@echo "make serve   build, serve on http://127.0.0.1:$(PORT) and rebuild on change"
	@echo "make test    run the test suite"
	@echo "make test-browser  check every page kind in headless Chromium (needs chromium, java, npm)"
	@echo "make eval    measure extraction quality on EVAL_DATA=$(EVAL_DATA)"
	@echo "make bench   time cold and incremental builds of BENCH_N=$(BENCH_N) articles"
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
	$(BIN)/python -m pytest -q --ignore=$(BROWSER_TESTS)

# Browser tests: Playwright from the `browser` extra, axe-core and vnu.jar from npm,
# Debian's chromium and Java from the system (.ci/run installs those).
$(VENV)/.installed-browser: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,browser]'
	@touch $@

$(BROWSER_TESTS)/node_modules/.installed: $(BROWSER_TESTS)/package.json $(BROWSER_TESTS)/package-lock.json
	cd $(BROWSER_TESTS) && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

test-browser: $(VENV)/.installed-browser $(BROWSER_TESTS)/node_modules/.installed
	$(BIN)/python -m pytest -q -m browser $(BROWSER_TESTS)

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,bench]'
	@touch $@

# Builds a generated corpus of BENCH_N articles cold and incrementally, beside
# Pelican and Hugo (Debian package `hugo`; measured when installed).
bench: $(VENV)/.installed-bench
	$(BIN)/python -m generator.bench --articles $(BENCH_N) --data $(EVAL_DATA)

lint: $(VENV)/.installed
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

eval: $(VENV)/.installed
	$(BIN)/python -m generator.evaluate --data $(EVAL_DATA)

clean:
	rm -rf _site .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis build *.egg-info
	rm -rf $(BROWSER_TESTS)/screenshots
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(BROWSER_TESTS)/node_modules

new: $(VENV)/.installed
	$(BIN)/python -m generator new "$(TITLE)"
