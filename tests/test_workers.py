"""Several real gunicorn workers, production settings, PostgreSQL and no Redis: one shared cache.

With a per-process cache, an unpublish ended the cached copies of the worker that made it only:
the other workers kept serving the piece, its citation, the listing and the feeds. Production's
default cache without REDIS_URL is a table in the database, which every worker (and every app
server) reads: these requests, spread over four workers, never see a stale copy.
"""

import datetime
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from publications import services
from publications.models import Publication
from tests.factories import PublicationFactory, staff_editor

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 4
REQUESTS = 24

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL): SQLite's test database lives in this process only",
    ),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def shared_cache(settings):
    """This process uses production's default cache too: the table the workers read."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
    }
    settings.PAGE_CACHE_SECONDS = 600
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    return settings


@pytest.fixture
def workers(shared_cache, tmp_path):
    """Start `gunicorn --workers 4` on production settings against the test database."""
    port = free_port()
    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DJANGO_SECRET_KEY="w" * 60 + "-not-a-real-secret",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_ALLOWED_PORTS=str(port),
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "config.wsgi", "--workers", str(WORKERS)]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(10)


def get(url):
    """GET on a new connection each time, so the requests spread over the workers."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("X-Cache", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Cache", ""), error.read().decode()


def surfaces(piece):
    return [
        piece.get_absolute_url(),
        f"{piece.get_absolute_url()}cite.bibtex",
        "/",
        "/policy-analysis/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap-publications.xml",
    ]


def test_an_unpublish_reaches_every_worker_at_once(workers):
    piece = PublicationFactory(title="Soon to be withdrawn", slug="soon-to-be-withdrawn")
    PublicationFactory(title="Stays public")
    for path in surfaces(piece):
        answers = [get(workers + path) for _ in range(REQUESTS)]
        assert all(status == 200 and "withdrawn" in body.lower() for status, _, body in answers), path
        assert sum(cache == "hit" for _, cache, _ in answers) >= REQUESTS - WORKERS, path

    services.publication_unpublish(publication=Publication.objects.get(pk=piece.pk), user=staff_editor())

    for path in surfaces(piece):
        own = path.startswith(piece.get_absolute_url())
        for _ in range(REQUESTS):
            status, cache, body = get(workers + path)
            assert status == (404 if own else 200), (path, status, cache, body[-3000:])
            assert own or "soon-to-be-withdrawn" not in body, path


def test_a_scheduled_piece_appears_on_every_worker_when_its_time_comes(workers):
    PublicationFactory(title="Already public")
    due = timezone.now() + datetime.timedelta(seconds=4)
    piece = PublicationFactory(title="Embargoed until four seconds", slug="embargoed-until", publish_at=due)
    paths = ["/", "/policy-analysis/", "/feeds/atom/", "/sitemap-publications.xml"]
    for path in paths:
        for _ in range(REQUESTS // 2):
            assert "Embargoed until" not in get(workers + path)[2], path
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.2)
    for path in [*paths, piece.get_absolute_url()]:
        for _ in range(REQUESTS):
            status, _, body = get(workers + path)
            assert status == 200 and "embargoed-until" in body, path
