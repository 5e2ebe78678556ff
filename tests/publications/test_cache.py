"""Cached public pages are always right: any change is visible at once, on every server."""

import datetime
import socket
import time

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from core import cache as page_cache
from publications.models import Publication
from tests.factories import PersonFactory, PublicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def test_public_pages_and_feeds_are_served_from_the_cache(client):
    piece = PublicationFactory(title="First title")
    for url in ("/", "/policy-analysis/", piece.get_absolute_url(), "/feeds/atom/"):
        assert client.get(url)["X-Cache"] == "miss"
        again = client.get(url)
        assert again["X-Cache"] == "hit" and again.status_code == 200
        assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_an_edit_is_visible_at_once(client):
    piece = PublicationFactory(title="First title")
    client.get(piece.get_absolute_url())
    client.get("/feeds/rss/")
    piece.title = "Corrected title"
    piece.save()
    assert "Corrected title" in client.get(piece.get_absolute_url()).text
    assert "Corrected title" in client.get("/feeds/rss/").text


def test_unpublishing_and_person_changes_are_visible_at_once(client):
    author = PersonFactory(name="Old Name")
    piece = PublicationFactory(authors=[author])
    assert "Old Name" in client.get(piece.get_absolute_url()).text
    author.name = "New Name"
    author.save()
    assert "New Name" in client.get(piece.get_absolute_url()).text
    piece.status = Publication.Status.DRAFT
    piece.save()
    assert client.get(piece.get_absolute_url()).status_code == 404
    assert piece.title not in client.get("/policy-analysis/").text


def test_a_scheduled_piece_appears_when_its_time_comes_without_any_change(client):
    PublicationFactory(title="Already out")
    PublicationFactory(
        title="Comes out in a moment", publish_at=timezone.now() + datetime.timedelta(seconds=1.5)
    )
    assert "Comes out in a moment" not in client.get("/policy-analysis/").text
    assert client.get("/policy-analysis/")["X-Cache"] == "hit"
    time.sleep(1.6)
    assert "Comes out in a moment" in client.get("/policy-analysis/").text


def test_staff_with_a_session_are_never_served_from_or_into_the_cache(admin_client, client):
    piece = PublicationFactory(status=Publication.Status.DRAFT, publish_at=None)
    preview = admin_client.get(piece.get_absolute_url())
    assert preview.status_code == 200 and "X-Cache" not in preview
    assert client.get(piece.get_absolute_url()).status_code == 404
    assert "X-Cache" not in admin_client.get("/policy-analysis/")


def redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_an_edit_on_one_server_is_visible_on_every_server(client):
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    with override_settings(CACHES=redis):
        caches["default"].clear()
        piece = PublicationFactory(title="Before the edit")
        assert client.get(piece.get_absolute_url())["X-Cache"] == "miss"
        assert client.get(piece.get_absolute_url())["X-Cache"] == "hit"
        # Another app server: its own connection to the same Redis sees the new generation.
        other_server = caches.create_connection("default")
        generation_before = other_server.get(page_cache.STATE_KEY)[0]
        piece.title = "After the edit"
        piece.save()
        assert other_server.get(page_cache.STATE_KEY)[0] != generation_before
        assert "After the edit" in client.get(piece.get_absolute_url()).text
        caches["default"].clear()


def test_a_page_that_varies_on_a_header_is_kept_once_per_value_of_it(rf):
    """Django's own cache keys: a stored page's Vary is honoured, the scheme is part of the key."""
    from django.http import HttpResponse

    from core.cache import PublicPageCacheMiddleware

    rendered = []

    def view(request):
        rendered.append(request.headers.get("X-Edition"))
        response = HttpResponse(f"edition {request.headers.get('X-Edition')}")
        response["Vary"] = "X-Edition"
        return response

    middleware = PublicPageCacheMiddleware(view)

    def get(edition, secure=False):
        request = rf.get("/policy-analysis/", headers={"X-Edition": edition}, secure=secure)
        request.session = {}
        return middleware(request)

    first, again, other = get("ar"), get("ar"), get("fa")
    assert (first["X-Cache"], again["X-Cache"], other["X-Cache"]) == ("miss", "hit", "miss")
    assert again.content == b"edition ar" and other.content == b"edition fa"
    assert get("ar", secure=True)["X-Cache"] == "miss"  # https is its own page
    assert rendered == ["ar", "fa", "ar"]
