#!/usr/bin/env bash
# Serve a copy of the demo site with production settings under gunicorn, for benchmarks.
# Usage: bench/serve.sh [PORT]   (stops with Ctrl-C; the data lives in a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8090}"
WORK="$(mktemp -d)"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$WORK/bench.sqlite3}"
DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python manage.py migrate -v0
DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python manage.py load_demo >/dev/null
export DJANGO_SETTINGS_MODULE=config.settings.prod DJANGO_SECRET_KEY="bench-$(date +%s)-not-secret" \
  DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=false DJANGO_STATIC_ROOT="$WORK/static"
.venv/bin/python manage.py collectstatic --noinput -v0
exec .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - --error-logfile -
