# One command runs exactly what CI runs: `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_WORKERS ?= 2
STAMP := $(VENV)/.ordino-installed

.PHONY: venv lint format test test-only bench demo clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

lint: venv
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: venv
	$(VENV)/bin/ruff check --fix src tests benchmarks
	$(VENV)/bin/ruff format src tests benchmarks

# pytest exits 5 when it collects nothing: that is a broken suite, never a pass.
test-only: venv
	@$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

test: lint test-only

bench: venv
	$(PY) -m benchmarks $(BENCH_ARGS)

# `make demo`: the starter project, created and run as a newcomer would.
DEMO_DIR ?= build/demo
DEMO := $(DEMO_DIR)/spaceflights-demo
ORDINO := $(CURDIR)/$(VENV)/bin/ordino

demo: venv
	@rm -rf $(DEMO)
	$(ORDINO) new --name "Spaceflights Demo" --example yes --output-dir $(DEMO_DIR)
	$(PY) -m pip install --quiet -r $(DEMO)/requirements.txt
	cd $(DEMO) && $(ORDINO) run
	@echo ""
	@echo "The demo project is in $(DEMO); its outputs:"
	@echo "  metrics: $(DEMO)/data/08_reporting/{linear_model,forest_model}/metrics.json"
	@echo "  plots:   $(DEMO)/data/08_reporting/{linear_model,forest_model}/actual_vs_predicted.png"
	@echo "  models:  $(DEMO)/data/06_models/{linear_model,forest_model}/regressor.pickle/<version>/"
	@echo "Try: cd $(DEMO) && $(ORDINO) run --namespaces forest_model"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
