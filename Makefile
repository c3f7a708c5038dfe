# esafety: two commands for a first look and for the suite.
#   make run    install what is missing, migrate, seed an empty database, serve with a worker
#   make test   the pytest suite (SQLite and no servers unless DATABASE_URL/CELERY_BROKER_URL say)
# Every recipe runs under bash -eu -o pipefail, so any failing step stops make with its error.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# Python 3.11 exactly (pyproject.toml says so): python3.11 if it is on PATH, else python3.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Stamps: pip and npm run again only when their inputs change.
PY_STAMP := $(VENV)/.esafety-installed
NODE_STAMP := node_modules/.esafety-installed
VAR := $(or $(ESAFETY_VAR_DIR),var)
PYTEST_ARGS ?=
# The page benchmark's database when DATABASE_URL names none; it is dropped and re-created, so
# its name must contain "bench".
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/esafety_bench
BENCH_ARGS ?=
LOAD_ARGS ?=

.PHONY: help install run migrate seed seed-scale seed-scale-10x test lint deploy-check constraints clean bench bench-trust load

help:
	@echo "make run           migrate, seed the demo school if the database has none, serve on"
	@echo "                   http://127.0.0.1:8000 with a Celery worker and beat (Ctrl-C stops)"
	@echo "make test          the test suite (PYTEST_ARGS='-k name' to narrow it)"
	@echo "make lint          ruff check, ruff format --check, lint-imports (esafety/ imports no"
	@echo "                   domain app), mypy (services, selectors, access helpers),"
	@echo "                   makemigrations --check"
	@echo "make deploy-check  manage.py check --deploy under ESAFETY_ENV=production, no warnings"
	@echo "make constraints   re-pin constraints.txt after changing pyproject.toml"
	@echo "make bench         time every daily page against the framework floor at 1x and 10x"
	@echo "                   on PostgreSQL (DATABASE_URL or esafety_bench, dropped and re-created;"
	@echo "                   BENCH_ARGS='--repetitions 20'); writes benchmarks/results/"
	@echo "make bench-trust   the same, with the measured schools beside a trust of 50 schools"
	@echo "                   (1,000,000 audit events; about 4 minutes more to build)"
	@echo "make load          gunicorn (production settings, 2 workers) under Locust on 127.0.0.1:"
	@echo "                   20 req/s for 60 s, then flat out for 30 s; errors, p50/p95/p99, req/s"
	@echo "                   (DATABASE_URL or esafety_load, seeded at 10x once; LOAD_ARGS='--help')"
	@echo "make seed-scale    the trust-sized data set (50 schools, 1,000,000 audit events) in the"
	@echo "                   empty database DATABASE_URL names (SCALE_ARGS='--schools 1 --factor 0.02')"
	@echo "make seed-scale-10x  one school at 10x the demo: 2,000 pupils, 1,000 concerns, 100,000"
	@echo "                   audit events"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "error: no python3.11 or python3 on PATH" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
		echo "error: esafety needs Python 3.11; $(PYTHON) is $$($(PYTHON) --version 2>&1)." >&2; \
		echo "       Run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -e ".[dev]" -c constraints.txt
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is needed for Bootstrap and axe-core" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

install: $(PY_STAMP) $(NODE_STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Seeds only a database with no school in it, and keeps the printed logins in var/ so every
# later `make run` can show them again.
seed: migrate
	@schools=$$($(BIN)/python manage.py shell -c \
		"from esafety.people.models import School; print(School.objects.count())" | tail -n 1); \
	if [ "$$schools" = "0" ]; then \
		$(BIN)/python manage.py seed_demo | tee $(VAR)/demo-logins.txt; \
	else \
		echo "The database has $$schools school(s) already: not seeding."; \
	fi

run: seed
	bin/dev-server

# The scale data set for the benchmark and the load test, in bulk, in the database DATABASE_URL
# names (PostgreSQL: a few minutes for the trust). It refuses a database that has schools.
SCALE_ARGS ?= --schools 50 --factor 1
seed-scale: migrate
	$(BIN)/python manage.py seed_scale $(SCALE_ARGS)

seed-scale-10x: migrate
	$(BIN)/python manage.py seed_scale --schools 1 --pupils 2000 --concerns 1000 --audit-events 100000

test: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# Bounded: 60 repetitions by default and --time-limit (900 s) on the timed rounds.
bench: install
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" $(BIN)/python benchmarks/bench_pages.py $(BENCH_ARGS)

bench-trust: install
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" $(BIN)/python benchmarks/bench_pages.py --trust 50 --label trust $(BENCH_ARGS)

# Bounded: 60 s at 20 req/s, then 30 s flat out, each Locust run killed 90 s past its time.
load: install
	$(BIN)/python benchmarks/load/run.py $(LOAD_ARGS)

deploy-check: install
	bin/deploy-check

# Pins every transitive dependency the venv holds (the project itself excluded).
constraints: $(PY_STAMP)
	{ echo '# Every transitive dependency, pinned: pip install -e ".[dev]" -c constraints.txt'; \
	  echo '# Regenerate after changing pyproject.toml: make constraints'; \
	  $(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	touch $(PY_STAMP)

clean:
	rm -rf $(VENV) node_modules
