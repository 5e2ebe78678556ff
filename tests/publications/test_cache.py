"""Cached public pages are always right: any change is visible at once, on every server."""

import datetime
import socket
import time

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from core import purge
from publications.models import Publication
from tests.factories import PersonFactory, PublicationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("page_cache", "purge_on_commit"),
]


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
        # Another app server: its own connection to the same Redis sees the piece purged.
        other_server = caches.create_connection("default")
        published_at = other_server.get(purge.PURGED + f"piece-{piece.pk}")
        piece.title = "After the edit"
        piece.save()
        assert other_server.get(purge.PURGED + f"piece-{piece.pk}") > published_at
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


def test_pages_tell_shared_caches_to_keep_them_and_what_they_show(client):
    author = PersonFactory()
    piece = PublicationFactory(authors=[author])
    response = client.get(piece.get_absolute_url())
    control = response["Cache-Control"]
    assert "public" in control and "s-maxage=86400" in control and "max-age=0" in control
    assert "stale-while-revalidate=60" in control and "stale-if-error=86400" in control
    keys = response["xkey"].split()
    assert {f"piece-{piece.pk}", f"person-{author.pk}", f"type-{piece.type_id}", "all"} <= set(keys)
    listing = client.get("/policy-analysis/")["xkey"].split()
    assert {"list", f"piece-{piece.pk}"} <= set(listing)
    assert "list" not in keys  # a piece's page is not a list: a new piece elsewhere leaves it


def test_nothing_personal_or_failed_is_offered_to_shared_caches(client, admin_client):
    piece = PublicationFactory()
    for response in (
        admin_client.get(piece.get_absolute_url()),  # staff
        client.get("/policy-analysis/no-such-piece/"),  # a 404
        client.get("/email/subscribe/"),  # a form with a CSRF cookie
        client.get("/admin/login/"),
    ):
        assert "public" not in response.get("Cache-Control", "") and "xkey" not in response


def test_parameters_no_page_reads_and_repeats_are_sent_to_the_canonical_address(client):
    PublicationFactory()
    response = client.get("/policy-analysis/?utm_source=tv&type=policywatch&type=policywatch&x=1")
    assert response.status_code == 301 and response["Location"] == "/policy-analysis/?type=policywatch"
    assert "public" not in response.get("Cache-Control", "")
    assert client.get("/policy-analysis/?type=policywatch").status_code == 200


def test_a_purge_stops_serving_a_copy_rendered_before_it(rf, settings):
    """A copy whose rendering began before a purge of what it shows is not served after it."""
    from django.http import HttpResponse

    from core.cache import PublicPageCacheMiddleware

    def view(request):
        purge.show("piece-1")
        if len(rendered) == 0:
            purge.purge_now({"piece-1"})  # the change commits while this copy is being rendered
        rendered.append(1)
        return HttpResponse("page")

    rendered = []
    middleware = PublicPageCacheMiddleware(view)

    def get():
        request = rf.get("/policy-analysis/")
        request.session = {}
        return middleware(request)["X-Cache"]

    assert [get(), get(), get()] == ["miss", "miss", "hit"]
