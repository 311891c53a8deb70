# Two commands on a fresh machine:
#   make demo   set everything up and start the demo (prints its address)
#   make test   set everything up and run every test
SHELL := /bin/bash
# pyenv's shim for python3.12 exists even when 3.12 is not selected, so ask for a Python that runs.
ifndef PYTHON
PYTHON := $(shell for p in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n1) python3.12 python3; do $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null && { command -v $$p || echo $$p; } && break; done)
endif
VENV ?= .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/amazon_channel

.PHONY: setup python-deps node-deps browser dashboard services test test-python test-dashboard test-e2e lint demo sdl bench \
	test-saleor test-real-dashboard test-real-host real-host-prepare

setup: python-deps node-deps dashboard

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.12 is required (pyenv install 3.12)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

python-deps: $(PY)
	$(PY) -m pip install --quiet -e '.[test]'

node-deps:
	cd dashboard-extension && npm ci --no-audit --no-fund --loglevel=error

browser:
	@command -v chromium >/dev/null && dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; }

dashboard: node-deps
	cd dashboard-extension && npm run build

services:
	./scripts/services.sh

lint: python-deps node-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	cd dashboard-extension && npm run lint

test-python: python-deps services
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} DJANGO_SETTINGS_MODULE=tests.standin.settings $(PY) -m django makemigrations --check --dry-run saleor_amazon_channel

test-dashboard: node-deps
	cd dashboard-extension && npm test

test-e2e: python-deps dashboard browser services
	cd dashboard-extension && PYTHON=$(abspath $(PY)) E2E_DATABASE_URL=$(TEST_DATABASE_URL)_e2e node --test e2e/

# The real host (scripts/real-host.sh): Saleor 3.23 and its Dashboard from ../shared/vendor (or SALEOR_VENDOR,
# SALEOR_SRC), cached outside the repository (scripts/saleor-host.sh). Skipped with a message when absent, except
# in CI (CI=true), where that fails.
test-saleor: python-deps services
	PYTHON=$(PYTHON) ./scripts/real-host.sh saleor

test-real-dashboard: python-deps dashboard browser services
	PYTHON=$(PYTHON) ./scripts/real-host.sh dashboard

test-real-host: test-saleor test-real-dashboard

# What both real-host parts need (Saleor's venv, the Dashboard build, the database templates), made once.
real-host-prepare: python-deps services
	PYTHON=$(PYTHON) ./scripts/real-host.sh prepare

# Setup and lint, then every test stage in two lanes at once (scripts/test-all.sh: the stand-in host's suite then the
# suite inside Saleor 3.23; Vitest, the demo in Chromium, then the walk through the real Dashboard).
test: setup browser services lint
	MAKE="$(MAKE)" ./scripts/test-all.sh

sdl: python-deps
	$(PY) scripts/export_sdl.py

bench: python-deps services
	$(PY) bench/run_all.py

demo: setup services
	$(PY) -m demo
