# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.12 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format install migrate demo serve worker clean bench faults edge bench-edge

WORKERS ?= 4
# Besides 80 and 443, the port a Host header may name under `make serve`: the one it listens on.
DJANGO_ALLOWED_PORTS ?= $(PORT)

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/publications_bench
BENCH_PIECES ?= 100000

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12) and "Python 3.12+ is needed (Django 6)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The Nu HTML checker for the validity tests, when npm is there (they are skipped otherwise).
node_modules/.installed: package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the HTML validity test will be skipped"; fi

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# The site's own error pages, as in production; `DEBUG=1 make run` for Django's debug pages.
# The task worker runs beside the server (email alerts, scheduled pieces' alerts, notices); mail
# goes to var/mail/*.eml unless EMAIL_HOST is set. Links in mail point at this server (SITE_URL).
MAIL_DIR ?= var/mail
run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	@[ -n "$$EMAIL_HOST" ] || echo "Mail the site sends is written to $(MAIL_DIR)/ as .eml files (open them in any mail program)"
	@export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" EMAIL_FILE_PATH="$${EMAIL_FILE_PATH:-$(CURDIR)/$(MAIL_DIR)}"; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py alerts_resume; \
	$(BIN)/python manage.py db_worker --queue-name '*' --interval 1 --no-startup-delay & worker=$$!; \
	DEBUG=$(DEBUG) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The task worker alone, as production runs it beside `make serve` (one or more per machine):
# django-tasks-db's worker by default, RQ's when TASKS_BACKEND=rq (docs/email.md). First it puts
# back in line whatever mail a stopped worker left half-sent.
worker: install
	DJANGO_SETTINGS_MODULE=config.settings.prod $(BIN)/python manage.py alerts_resume
	@if [ "$$TASKS_BACKEND" = rq ]; then \
		DJANGO_SETTINGS_MODULE=config.settings.prod exec $(BIN)/python manage.py rqworker default --with-scheduler --job-class django_tasks_rq.Job; \
	else \
		DJANGO_SETTINGS_MODULE=config.settings.prod exec $(BIN)/python manage.py db_worker --queue-name '*'; \
	fi

# One process per core (pytest-xdist); a file's tests stay in one process, with its fixtures.
test: install node_modules/.installed
	$(BIN)/python -m pytest -n auto --dist loadfile

# Style and complexity (ruff, C901 at most 10), the layout's import rules (import-linter, see
# pyproject.toml), sizes (no module over 400 lines, no function over 60), and people's templates
# drawing nothing of publications.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python ops/check_sizes.py
	@! grep -rnE "load [a-z_ ]*(publications_tags|seo_tags|editorial)|publications:|include \"(publications|includes)/" templates/people \
		|| (echo "people's templates must not use publications' tags, URLs or partials" && false)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm var staticfiles .pytest_cache .ruff_cache

# The shared cache bench/run.py measures with (empty: production's fallback, the database cache),
# and what `make faults` passes on (FAULTS_ARGS=--no-restart: a smoke test, PostgreSQL left alone).
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/13
FAULTS_ARGS ?=

# Seed (or reuse) a 100,000-piece archive on PostgreSQL (the database is made if missing) and measure
# every page type under bench/settings.py: production's settings, with the ceiling view.
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/seed.py --pieces $(BENCH_PIECES)
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/run.py

# Readers and an editor through Varnish on the seeded archive: the old site-wide purge against keyed
# purges (hit ratio, p50/p99, how soon a fix is visible), then PostgreSQL stopped for 30 s (bench/edge.py).
bench-edge: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@command -v varnishd >/dev/null || (apt-get update -qq && apt-get install -y -qq varnish varnish-modules)
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/seed.py --pieces $(BENCH_PIECES)
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/edge.py

# Two app servers sharing Redis under wrk while PostgreSQL restarts; an edit on one seen on the other.
faults: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/faults.py $(FAULTS_ARGS)

# Production server (settings from the environment: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
# DATABASE_URL, REDIS_URL...), behind a reverse proxy that terminates TLS.
serve: install
	DJANGO_SETTINGS_MODULE=config.settings.prod $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.prod $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.prod DJANGO_ALLOWED_PORTS=$(DJANGO_ALLOWED_PORTS) \
		$(BIN)/gunicorn config.wsgi --workers $(WORKERS) \
		--bind 127.0.0.1:$(PORT) --error-logfile -

# The edge cache: Varnish (with varnish-modules' xkey) in front of `make serve`, with the VCL in
# ops/varnish/site.vcl (docs/operations.md). Tell the app where it is: EDGE_PURGE_URLS=http://127.0.0.1:6081/
EDGE_PORT ?= 6081
edge:
	@command -v varnishd >/dev/null || (apt-get update -qq && apt-get install -y -qq varnish varnish-modules)
	EDGE_PORT=$(EDGE_PORT) EDGE_BACKEND=$${EDGE_BACKEND:-127.0.0.1:$(PORT)} ops/varnish/start.sh
