# The two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# CI sets TEST_DATABASE_URL; locally the suite also runs on PostgreSQL when one answers on 127.0.0.1:5432.
PG_DEFAULT_URL := postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install install-dev requirements system-packages run serve worker load test lint migrations-check seed ci screenshots bootstrap-subset bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every package, direct or not, is pinned with its hashes: pip refuses anything else (a changed
# upload, a package nobody pinned). Edit requirements*.in, then `make requirements`.
$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## make requirements: re-pin requirements.txt and requirements-dev.txt, with hashes, from the .in files.
## Versions already pinned stay as they are; to move one, change it in the .in file (or pass PIP_COMPILE_ARGS="-P name==x.y").
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet --generate-hashes --no-emit-find-links \
	--strip-extras --no-emit-index-url $(PIP_COMPILE_ARGS)
requirements: install-dev
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

# Debian packages the tests need that a bare machine lacks: Chromium for the browser tests, wrk for the
# benchmark smoke test, Pango, HarfBuzz and a font for WeasyPrint's PDFs. Installed only when missing
# (apt-get update first), as root or through sudo; says nothing when all are there.
SYSTEM_PACKAGES := chromium wrk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "== Installing Debian packages the tests need:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null 2>&1; then sudo=sudo; \
		else echo "make: not root and no sudo: install these with apt-get:" $$missing >&2; exit 1; fi; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

## make run: install, migrate (which loads the clinical content) and serve on 127.0.0.1:$(PORT)
run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	@echo "Admin: create your first staff account with: DJANGO_DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@echo "Then sign in at http://127.0.0.1:$(PORT)/admin/"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make serve: production settings under gunicorn ($${WEB_CONCURRENCY:-2} workers) on 127.0.0.1:$(PORT).
## Needs SECRET_KEY and ALLOWED_HOSTS; DATABASE_URL (PostgreSQL) and REDIS_URL are read when set. See docs/operations.md.
serve: install
	DJANGO_ENV=production $(BIN)/python manage.py check --deploy --fail-level WARNING
	DJANGO_ENV=production $(BIN)/python manage.py collectstatic --no-input -v 0
	DJANGO_ENV=production $(BIN)/python manage.py migrate --no-input
	DJANGO_ENV=production $(BIN)/gunicorn clinic_site.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $${WEB_CONCURRENCY:-2} --timeout 30 --graceful-timeout 20 --max-requests 2000 --max-requests-jitter 200

## make worker: the Celery worker that sends every email, with beat for the daily jobs (docs/operations.md).
## Uses CELERY_BROKER_URL, else REDIS_URL; give the web processes the same environment.
worker: install
	@broker="$${CELERY_BROKER_URL:-$${REDIS_URL:-}}"; \
	if [ -z "$$broker" ]; then \
		echo "make worker needs a broker: set REDIS_URL (or CELERY_BROKER_URL), e.g. REDIS_URL=redis://127.0.0.1:6379/0,"; \
		echo "for this worker and for the site. Without one the site sends emails inline and needs no worker."; \
		exit 2; \
	fi; \
	echo "Worker with beat: broker $$($(BIN)/python -c 'import sys; from kombu.utils.url import maybe_sanitize_url as m; print(m(sys.argv[1]))' "$$broker"), queue $${CELERY_QUEUE:-selfcheck}"; \
	echo "Email: $${EMAIL_URL:+EMAIL_URL is set}$${EMAIL_URL:-no EMAIL_URL (console in development, localhost:25 in production)}"
	exec $(BIN)/celery --app clinic_site worker --beat --loglevel INFO --concurrency $${WORKER_CONCURRENCY:-2}

## make load: 16 simulated patients for 30 s against gunicorn, on SQLite then PostgreSQL (needs Redis and PostgreSQL)
LOAD_PORT ?= 8100
load: install
	$(BIN)/python -m bench.load --db both --patients 16 --duration 30 --port $(LOAD_PORT)

lint: install-dev
	$(BIN)/ruff check .

migrations-check: install-dev
	DJANGO_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run

## make test: the system packages it needs, lint, migrations check, the suite on SQLite, then on PostgreSQL
test: system-packages lint migrations-check
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

## make screenshots: phone and desktop screenshots of the main pages, and their weights, into docs/screenshots/
screenshots: install-dev
	SAVE_SCREENSHOTS=1 $(BIN)/pytest tests/browser/test_pages.py -q -p no:warnings

## make bootstrap-subset: rebuild the trimmed Bootstrap after templates start using new Bootstrap classes
bootstrap-subset: install-dev
	$(BIN)/python scripts/bootstrap_subset.py

seed: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo --submissions 500
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_checkins

ci: test

## make bench: throughput as ratios to hello-world, query counts, score(), admin changelist, memory.
## Writes bench/results.json; see docs/benchmarks.md. BENCH_ARGS="--quick" for a one-round smoke run.
bench: install-dev system-packages
	$(BIN)/python -m bench.run $(BENCH_ARGS)
