# Practice Portfolio: `make demo` and `make test` do all the set-up on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: help install demo test lint migrations-check test-sqlite test-postgres serve bench bench-libs browsers clean

help:
	@echo "make demo   install, migrate a SQLite database, load demo data, serve on :$(PORT)"
	@echo "make test   install and run every check and test (SQLite, then PostgreSQL)"
	@echo "make serve  production-style: gunicorn with DEBUG off (see docs/deploy.md)"
	@echo "make bench  measure the figures in docs/performance.md; JSON on the last line"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the Playwright browser tests; `playwright install` cannot download here.
browsers:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The demo's emails are written one file each to demo-mail/; `make demo EMAIL_URL=consolemail://`
# prints them instead. The task worker that sends them runs beside the server and stops with it.
DEMO_EMAIL_URL := filemail:///demo-mail

demo: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C to stop); emails go to $${EMAIL_URL:-demo-mail/}"
	@export DEBUG=true SITE_URL=http://127.0.0.1:$(PORT) EMAIL_URL="$${EMAIL_URL:-$(DEMO_EMAIL_URL)}"; \
	$(BIN)/python manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: install browsers
	env -u DATABASE_URL DEBUG=false SECRET_KEY=test-only-secret-key-that-is-long-enough \
		$(BIN)/pytest

# Runs when DATABASE_URL is set or a server answers on 127.0.0.1:5432. REQUIRE_POSTGRES=1
# (set by .ci/run) turns "no server" into a failure instead of a skip.
test-postgres: install browsers
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		url="$(PG_URL)"; fi; \
	if [ -z "$$url" ]; then \
		if [ "$${REQUIRE_POSTGRES:-}" = "1" ]; then echo "PostgreSQL pass required but no server answered"; exit 1; fi; \
		echo "No PostgreSQL server found: skipping the PostgreSQL pass"; exit 0; fi; \
	echo "PostgreSQL pass against $${url%%@*}@..."; \
	DATABASE_URL="$$url" DEBUG=false SECRET_KEY=test-only-secret-key-that-is-long-enough \
		$(BIN)/pytest

test: lint migrations-check test-sqlite test-postgres

serve: install
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=false $(BIN)/python manage.py migrate --noinput
	DEBUG=false $(BIN)/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-3}

# Throwaway databases and servers; see docs/performance.md for what each figure means. The page
# figures need PostgreSQL (BENCH_POSTGRES_URL, default the local server): the national-scale
# dataset is seeded once into the database pp_bench_scale and reused (BENCH_RESEED=1 redoes it).
# WeasyPrint (the `bench` extra, and Debian's Pango and HarfBuzz beneath it) is the yardstick
# for the report renderer's speed; `make test` and `make demo` never install it.
BENCH_STAMP := $(VENV)/.installed-bench
BENCH_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(BENCH_STAMP)

bench-libs:
	@missing=$$(for p in $(BENCH_DEBS); do \
		dpkg-query -W -f='$${db:Status-Abbrev}' "$$p" 2>/dev/null | grep -q '^ii' || echo "$$p"; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian's" $$missing "for WeasyPrint"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

bench: $(BENCH_STAMP) bench-libs
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media demo-mail
