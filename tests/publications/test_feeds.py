import datetime

import feedparser
import pytest

from tests.factories import PersonFactory, PublicationFactory, RegionFactory, TopicFactory

pytestmark = pytest.mark.django_db

FEEDS = ("/feeds/rss/", "/feeds/atom/")


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.fixture
def piece(db):
    authors = [PersonFactory(name="Ada Alpha"), PersonFactory(name="Ben Beta")]
    return PublicationFactory(
        title="Deterrence on the Golan",
        summary="Why the line holds.",
        body="<p>Full <strong>body</strong> text.</p>",
        authors=authors,
        topics=[TopicFactory(name="Military & Security")],
        regions=[RegionFactory(name="Israel")],
        tags=["drones"],
    )


@pytest.mark.parametrize("url", FEEDS)
def test_feed_is_well_formed_with_authors_categories_and_full_content(client, piece, url):
    response, feed = parse(client, url)
    entry = feed.entries[0]
    assert entry.title == "Deterrence on the Golan"
    assert [a.name for a in entry.authors] == ["Ada Alpha", "Ben Beta"]
    names = {t.get("label") or t.term for t in entry.tags}  # Atom: the slug is the term, the name its label
    assert names == {piece.type.name, "Military & Security", "Israel", "drones"}
    assert "<strong>body</strong>" in entry.content[0].value
    assert entry.summary == "Why the line holds."
    assert entry.link == f"http://testserver{piece.get_absolute_url()}"
    assert entry.id == f"http://testserver/p/{piece.pk}/"
    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    assert abs(published - piece.publish_at) < datetime.timedelta(seconds=1)
    if url.endswith("atom/"):
        assert "updated" in entry and "published" in entry


@pytest.mark.parametrize("url", FEEDS)
def test_feed_links_to_itself_at_its_own_address(client, piece, url):
    _, feed = parse(client, url)
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"http://testserver{url}"]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_carries_the_latest_50_pieces_newest_first(client, url):
    pieces = PublicationFactory.create_batch(55)
    _, feed = parse(client, url)
    assert [e.title for e in feed.entries] == [p.title for p in pieces[:50]]


def test_rss_dates_are_rfc_822_and_atom_dates_rfc_3339(client, piece):
    rss = client.get("/feeds/rss/").text
    atom = client.get("/feeds/atom/").text
    day = piece.publish_at.astimezone(datetime.UTC)
    assert f"<pubDate>{day:%a, %d %b %Y %H:%M:%S} +0000</pubDate>" in rss.replace("-0000", "+0000")
    assert f"<published>{day:%Y-%m-%dT%H:%M:%S}" in atom


@pytest.mark.parametrize("url", FEEDS)
def test_a_piece_without_a_dek_is_summarized_by_its_opening_words(client, url):
    PublicationFactory(summary="", body="<p>Opening <em>words</em> of the piece.</p>")
    _, feed = parse(client, url)
    assert feed.entries[0].summary == "Opening words of the piece."


def test_hidden_pieces_are_in_no_feed(client, hidden_pieces):
    for url in FEEDS:
        _, feed = parse(client, url)
        assert feed.entries == []
