"""Pages and feeds are sent gzipped to clients that ask, plain to others, from one cached copy."""

import gzip

import feedparser
import pytest

from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def piece(db):
    return PublicationFactory(title="Deterrence on the Golan", body="<p>" + "Long body text. " * 200 + "</p>")


@pytest.mark.parametrize("url", ["/", "/policy-analysis/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml"])
def test_pages_and_feeds_are_gzipped_for_a_client_that_asks(client, piece, url):
    plain = client.get(url)
    packed = client.get(url, headers=GZIP)
    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert "Content-Encoding" not in plain
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


def test_each_compressed_response_has_a_length_of_its_own(client, piece):
    """Django pads each gzipped response at random, so its length says nothing about secrets in it."""
    lengths = {len(client.get("/feeds/atom/", headers=GZIP).content) for _ in range(8)}
    assert len(lengths) > 1


def test_a_cached_page_is_sent_compressed_to_one_client_and_plain_to_another(client, piece, page_cache):
    first = client.get("/feeds/atom/", headers=GZIP)
    plain = client.get("/feeds/atom/")
    again = client.get("/feeds/atom/", headers=GZIP)
    assert (first["X-Cache"], plain["X-Cache"], again["X-Cache"]) == ("miss", "hit", "hit")
    assert "Content-Encoding" not in plain
    assert feedparser.parse(plain.content).entries[0].title == "Deterrence on the Golan"
    assert again["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == plain.content
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in again["Vary"]


def test_a_compressed_page_still_answers_a_conditional_get(client, piece, page_cache):
    first = client.get("/policy-analysis/", headers=GZIP)
    assert first["ETag"].startswith('W/"')  # a weak tag: the bytes differ, the page is the same
    again = client.get("/policy-analysis/", headers={**GZIP, "If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_a_pdf_is_sent_as_it_is_stored(client):
    piece = PublicationFactory(pdf="publications/pdf/report.pdf")
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("publications/pdf/report.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 5000))
    response = client.get(piece.pdf_url, headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
