"""Titles and descriptions in words for every feed, and feeds naming what no longer exists."""

import datetime

import feedparser
import pytest

from tests.factories import (
    PersonFactory,
    PublicationFactory,
    PublicationTypeFactory,
    RegionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def parse(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def terms(db):
    russia, iran = TopicFactory(name="Russia", slug="russia"), TopicFactory(name="Iran", slug="iran")
    syria = RegionFactory(name="Syria", slug="syria")
    anna = PersonFactory(name="Anna Borshchevskaya", slug="anna")
    notes = PublicationTypeFactory(name="Policy Notes", slug="policy-notes")
    PublicationFactory(
        title="Moscow and Tehran in Syria",
        type=notes,
        topics=[russia, iran],
        regions=[syria],
        authors=[anna],
        publish_at=datetime.datetime(2016, 3, 1, 12, tzinfo=datetime.UTC),
        summary="On missile deliveries.",
    )
    return {"russia": russia, "syria": syria, "anna": anna}


@pytest.mark.parametrize(
    ("url", "params", "title", "subtitle"),
    [
        ("/feeds/rss/", {}, "Policy Analysis", "The latest analysis from The Washington Institute"),
        (
            "/policy-analysis/feed/rss/",
            {"topic": ["russia", "iran"], "region": "syria", "from": "2015"},
            "Analysis on Iran and Russia in Syria, from 2015",
            "Analysis on Iran and Russia in Syria, from 2015: the latest from",
        ),
        (
            "/policy-analysis/feed/atom/",
            {"type": "policy-notes", "expert": "anna", "to": "2020-06-30"},
            "Policy Notes by Anna Borshchevskaya, until June 30, 2020",
            "Policy Notes by Anna Borshchevskaya, until June 30, 2020: the latest",
        ),
        (
            "/policy-analysis/feed/atom/",
            {"q": "missile"},
            "Search results for “missile”",
            "Search results for “missile”: the latest from",
        ),
        (
            "/policy-analysis/feed/rss/",
            {"q": "missile", "region": "syria"},
            "Search results for “missile”: Analysis in Syria",
            "Search results for “missile”: Analysis in Syria: the latest",
        ),
        ("/topics/russia/feed/atom/", {}, "Analysis on Russia", "Analysis on Russia: the latest"),
        (
            "/regions/syria/feed/rss/",
            {"from": "2016", "to": "2016"},
            "Analysis in Syria, published in 2016",
            "",
        ),
        ("/experts/anna/feed/rss/", {}, "Analysis by Anna Borshchevskaya", "Analysis by Anna"),
    ],
)
def test_every_feed_says_in_words_what_it_follows(client, terms, url, params, title, subtitle):
    feed = parse(client, url, params).feed
    assert feed.title == f"The Washington Institute: {title}"
    assert feed.subtitle.startswith(subtitle)
    assert feed.subtitle.endswith("The Washington Institute for Near East Policy.")


def test_the_listing_and_its_feed_show_the_same_pieces(client, terms):
    params = {"topic": "russia", "region": "syria", "from": "2015"}
    listing = client.get("/policy-analysis/", params)
    feed = parse(client, "/policy-analysis/feed/atom/", params)
    assert [e.title for e in feed.entries] == [p.title for p in listing.context["publications"]]


@pytest.mark.parametrize(
    ("url", "params", "reason"),
    [
        ("/policy-analysis/feed/rss/", {"topic": "atlantis"}, "There is no topic called “atlantis”."),
        ("/policy-analysis/feed/atom/", {"region": "gondor"}, "There is no region called “gondor”."),
        ("/policy-analysis/feed/atom/", {"expert": "nobody"}, "There is no expert called “nobody”."),
        ("/policy-analysis/feed/rss/", {"type": "gazette"}, "There is no publication type called “gazette”."),
        ("/policy-analysis/feed/rss/", {"topic": ["russia", "atlantis"]}, "no topic called “atlantis”"),
        ("/topics/atlantis/feed/rss/", {}, "There is no topic called “atlantis”."),
        ("/regions/gondor/feed/atom/", {}, "There is no region called “gondor”."),
        ("/experts/nobody/feed/atom/", {}, "There is no expert called “nobody”."),
    ],
)
def test_a_feed_naming_what_no_longer_exists_is_a_valid_empty_feed_that_says_so(
    client, terms, url, params, reason
):
    feed = parse(client, url, params)
    assert feed.entries == []
    assert feed.version in ("rss20", "atom10")
    assert "no longer exists" in feed.feed.subtitle
    assert reason in feed.feed.subtitle
    assert "http://testserver/feeds/" in feed.feed.subtitle


def test_a_renamed_topic_empties_its_old_feed(client, terms):
    assert len(parse(client, "/topics/russia/feed/atom/").entries) == 1
    terms["russia"].slug = "russian-federation"
    terms["russia"].save()
    assert parse(client, "/topics/russia/feed/atom/").entries == []
    assert len(parse(client, "/topics/russian-federation/feed/atom/").entries) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"from": "yesterday"},
        {"topic": "atlantis", "from": "yesterday"},
        {"from": "2024", "to": "2020"},
        {"sort": "random"},
        {"type": "x\x00y"},
    ],
)
def test_a_malformed_filter_is_still_a_400(client, terms, params):
    assert client.get("/policy-analysis/feed/rss/", params).status_code == 400
    assert client.get("/topics/atlantis/feed/atom/", params).status_code == 400
