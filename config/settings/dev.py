"""Local development: the site's own error pages (DEBUG=1 for Django's), a fixed insecure key,
SQLite unless DATABASE_URL says otherwise."""

import os

from .base import *  # noqa: F403
from .base import LOGGING, SECRET_KEY, env_list

# Off unless asked for (`DEBUG=1 make run`): a reader's mistake then gets the site's 404 and 400
# pages, as in production, not a traceback.
DEBUG = os.environ.get("DEBUG", "").strip().lower() in ("1", "true", "yes", "on")
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
ALLOWED_HOST_PORTS = None  # any port (runserver, live_server)

# Static files straight from static/ and the apps (no collectstatic), picked up when edited,
# whatever DEBUG says: WhiteNoise serves them under runserver (media go through core's view).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

DEMO_CONTENT_ALLOWED = True

# Plain log lines in a terminal (production writes JSON).
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("DJANGO_LOG_FORMAT", "text")

# `make run` serves and runs the task worker side by side on one SQLite file: write-ahead logging
# lets readers go on while one writes, and a writer waits its turn (up to 20 s) instead of failing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
