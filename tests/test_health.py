import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["cache"] == "ok"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "X-Cache" not in response


def test_healthz_says_503_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "error"
    assert "database down" not in response.text


@pytest.fixture
def database_down(monkeypatch):
    """Make every query fail as it does while PostgreSQL restarts."""
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def down():
        def refuse(*args, **kwargs):
            raise OperationalError("FATAL:  the database system is shutting down")

        monkeypatch.setattr(CursorWrapper, "execute", refuse)
        monkeypatch.setattr(CursorWrapper, "executemany", refuse)

    return down


def test_while_the_database_is_down_pages_not_in_the_cache_say_503_retry_soon(client, database_down):
    client.raise_request_exception = False
    database_down()
    response = client.get("/search/?q=putin")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "Briefly unavailable" in response.text and "shutting down" not in response.text


def test_cached_pages_keep_being_served_through_an_outage_even_when_a_piece_falls_due(
    client, database_down, monkeypatch, page_cache
):
    import datetime

    from django.utils import timezone

    from core import purge as page_cache
    from tests.factories import PublicationFactory

    piece = PublicationFactory(title="Already public")
    PublicationFactory(title="Due soon", publish_at=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get(piece.get_absolute_url())["X-Cache"] == "miss"
    database_down()
    # The scheduled piece falls due while the database is away: what it shows cannot be looked up
    # (that needs a query), so the pages cached so far are served and the check is retried shortly.
    later = page_cache.time.time() + 6 * 60
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    response = client.get(piece.get_absolute_url())
    assert response.status_code == 200 and response["X-Cache"] == "hit"
    retry_at, _checked = page_cache.cache.get(page_cache.SCHEDULE_KEY)
    assert retry_at == later + page_cache.RETRY_SECONDS


def test_every_migrate_makes_the_database_caches_table(settings, db):
    """Production without Redis keeps pages in the database: `migrate` must create that table."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t_cache"}
    }
    assert "t_cache" not in connection.introspection.table_names()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    try:
        assert "t_cache" in connection.introspection.table_names()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE t_cache")
