# The two commands: `make demo` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
BENCH_ITEMS ?= 100000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test bench lint compat install migrate schema serve

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_storefront_config

# Serves with the local Stripe server (port STRIPE_SIM_PORT, default 12111); Ctrl-C stops both.
demo: migrate
	$(PY) manage.py populatedb --if-empty
	DEBUG=1 $(PY) manage.py demo_server --port $(PORT)

# ruff, the layer contracts of pyproject.toml (import-linter) and the installed packages' requirements.
lint: install
	$(VENV)/bin/ruff check .
	PYTHONPATH=. $(VENV)/bin/lint-imports
	$(PY) -m pip check

test: lint
	$(PY) -m pytest

bench: install
	BENCH_ITEMS=$(BENCH_ITEMS) $(PY) bench/run.py

# Print the served schema into schema.graphql (commit it; tests fail when it drifts).
schema: install
	$(PY) manage.py print_schema --skip-checks

# Development aid: compare our schema's Saleor names and types with Saleor's printed schema.
compat: install
	$(PY) manage.py saleor_compat ../shared/reference/saleor-schema.graphql --skip-checks
