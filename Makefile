# Quick start: `make run` (install, index corpus/, serve on FAZHI_HOST:FAZHI_PORT) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# The folder the site serves and curators add to: $FAZHI_CORPUS when set.
CORPUS ?= $(or $(FAZHI_CORPUS),corpus)
AXE    := tests/axe/node_modules/axe-core/axe.min.js

.PHONY: install axe index run dev test bench lint format inspect

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  $(PYTHON) -m venv --without-pip $(VENV) && $(PYTHON) -m pip --python $(PY) install -q pip; }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

# axe-core for the accessibility checks of the browser tests, pinned by tests/axe/package-lock.json
# (npm's registry, at install time only; the tests read the file from disk). Not needed to serve.
$(AXE): tests/axe/package.json tests/axe/package-lock.json
	npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error
	@touch $@

axe: $(AXE)

index: install
	$(PY) -m indexer build --corpus $(CORPUS)

run: index
	$(VENV)/bin/gunicorn -c python:portal.gunicorn_conf 'app:create_app()'

dev: index
	FAZHI_ENV=development $(VENV)/bin/flask --app app:create_app run --debug

inspect: install
	$(PY) -m indexer inspect $(CORPUS)

test: install axe
	$(PY) -m pytest

bench: install
	$(PY) bench/run.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
