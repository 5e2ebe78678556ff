#!/usr/bin/env bash
# Serve a copy of the demo site under bench/settings.py (production's settings) with gunicorn, for
# benchmarks such as bench/lighthouse.py.
# Usage: bench/serve.sh [PORT]   (stops with Ctrl-C; the data lives in a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8090}"
WORK="$(mktemp -d)"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$WORK/bench.sqlite3}"
# The demo's images and their renditions go there too (not the checkout's media/), and gunicorn
# serves them as production does when media are on this site's disk: through core's media view
# (config/urls.py, core/media.py), which checks what each file belongs to.
export DJANGO_MEDIA_ROOT="${DJANGO_MEDIA_ROOT:-$WORK/media}"
# The demo content is refused under production settings: it is loaded with dev's.
DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python manage.py migrate -v0
DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python manage.py load_demo >/dev/null
export DJANGO_SETTINGS_MODULE=bench.settings DJANGO_STATIC_ROOT="$WORK/static" DJANGO_ALLOWED_PORTS="$PORT"
.venv/bin/python manage.py collectstatic --noinput -v0
exec .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - --error-logfile -
