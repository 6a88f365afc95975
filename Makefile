# The two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# CI sets TEST_DATABASE_URL; locally the suite also runs on PostgreSQL when one answers on 127.0.0.1:5432.
PG_DEFAULT_URL := postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install install-dev run test lint migrations-check seed ci bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## make run: install, migrate (which loads the clinical content) and serve on 127.0.0.1:$(PORT)
run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	@echo "Admin: create your first staff account with: $(BIN)/python manage.py createsuperuser"
	@echo "Then sign in at http://127.0.0.1:$(PORT)/admin/"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .

migrations-check: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run

## make test: lint, migrations check, the suite on SQLite, then on PostgreSQL
test: lint migrations-check
	$(BIN)/pytest
	@url="$${TEST_DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		url="$(PG_DEFAULT_URL)"; \
	fi; \
	if [ -n "$$url" ]; then \
		echo "== The suite again on PostgreSQL ($$url)"; \
		DATABASE_URL="$$url" $(BIN)/pytest; \
	else \
		echo "== PostgreSQL not reachable on 127.0.0.1:5432 and TEST_DATABASE_URL unset: SQLite only"; \
	fi

seed: install
	$(BIN)/python manage.py seed_demo --submissions 500

ci: test

## make bench: throughput as ratios to hello-world, query counts, score(), admin changelist, memory.
## Writes bench/results.json; see docs/benchmarks.md. BENCH_ARGS="--quick" for a one-round smoke run.
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk || sudo apt-get install -y wrk
	$(BIN)/python -m bench.run $(BENCH_ARGS)
