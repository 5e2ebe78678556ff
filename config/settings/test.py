"""Test runs: fast hashing, in-memory files, SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES

SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ALLOWED_HOST_PORTS = None  # any port (runserver, live_server)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}

DEMO_CONTENT_ALLOWED = True

# One process: local memory, emptied before every test (tests/conftest.py). The shared caches
# of production are tested with real processes (tests/test_workers.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# No page cache, so a test that changes rows behind the write path (``.update()``) never reads a
# page cached before; the cache's own tests turn it on (the ``page_cache`` fixture).
PAGE_CACHE_SECONDS = 0
# Tests roll back rather than commit: purge at each write (tests of purges turn this back on).
PAGE_PURGE_ON_COMMIT = False
# One process, one clock: a page rendered right after a purge is good (production allows 50 ms).
PAGE_CACHE_CLOCK_SKEW = 0

# One log line per request is for operators; tests check it with caplog, not on the console.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "publications.request": {"level": "WARNING"}}}
