# Quartiers: `make demo` to try it, `make test` to prove it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
PYTEST_ARGS ?=

.PHONY: demo test serve install install-dev python-version messages lint format bench clean vendor screenshots

python-version:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "Quartiers needs Python 3.12 or newer (Django 6.1 requires it); '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.12 (the .python-version file makes pyenv and uv pick it) or run: make PYTHON=python3.12 ..."; \
	  exit 1; }

$(PY): | python-version
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the requirements change.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: python-version $(VENV)/.installed messages

install-dev: install $(VENV)/.installed-dev node_modules/.installed

# Compile the French catalogue (Babel: no GNU gettext needed on a fresh machine).
messages: $(VENV)/.installed
	@$(VENV)/bin/pybabel compile --domain django --directory locale --statistics 2>&1 | grep -v '^$$' || true

# Links printed and emailed follow HOST and PORT (make demo PORT=8101), unless SITE_URL says otherwise.
demo: install
	export DEBUG=1 SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py load_demo && \
	exec $(PY) manage.py runserver $(HOST):$(PORT)

# Several gunicorn workers on the production settings: the app keeps no state in a process.
# Production settings need SECRET_KEY: without one, a random key for this run only.
serve: install
	@echo "Serving production settings over plain HTTP on http://$(HOST):$(PORT) ($(WORKERS) workers)."
	@if [ -z "$${SECRET_KEY:-}" ]; then \
	  echo "SECRET_KEY is not set: using a random key for this run only (sign-ins and emailed links stop working when the server stops). Set SECRET_KEY to keep them."; \
	  SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))'); fi; \
	export SECRET_KEY HTTPS_ONLY=$${HTTPS_ONLY:-false} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-$(HOST),localhost}; \
	set -e; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	exec $(VENV)/bin/gunicorn civic.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

test: install-dev
	@bash tests/run_all.sh $(PYTEST_ARGS)

# Phone and desktop screenshots of the demo for the README (tests/browser/screenshots.py; needs chromium).
screenshots: install-dev
	$(PY) tests/browser/screenshots.py

# Benchmark on PostgreSQL (see bench/run.py): make bench BENCH_ARGS="--sizes small --duration 5"
BENCH_ARGS ?=
bench: install-dev
	$(PY) -m pip install --quiet -r bench/requirements.txt
	@missing=""; command -v wrk >/dev/null || missing=" wrk"; command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then echo "Installing$$missing (Debian packages)"; \
	  apt-get install -y -qq $$missing >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; }; fi
	$(PY) bench/run.py $(BENCH_ARGS)

# Copy Leaflet from its npm package into static/vendor/ (committed: `make demo` needs no Node.js).
# tests/wiki/test_map.py checks the copy is byte-identical to the package of package-lock.json.
vendor: node_modules/.installed
	rm -rf static/vendor/leaflet && mkdir -p static/vendor/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
	      node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/
	cp node_modules/leaflet/LICENSE static/vendor/leaflet/LICENSE

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles
