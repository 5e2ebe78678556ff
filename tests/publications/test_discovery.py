"""Facets, search, per-view feeds, related pieces, archive and permalinks."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.utils import timezone

from publications.models import Publication
from tests.factories import (
    PersonFactory,
    PublicationFactory,
    PublicationTypeFactory,
    RegionFactory,
    TopicFactory,
    edit_piece,
)

pytestmark = pytest.mark.django_db


def at(year, month=6, day=1):
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


@pytest.fixture
def archive(db):
    """Six published pieces with known types, topics, regions, authors and dates."""
    watch = PublicationTypeFactory(name="PolicyWatch", slug="policywatch")
    notes = PublicationTypeFactory(name="Policy Notes", slug="policy-notes")
    terror, energy = (
        TopicFactory(name="Terrorism", slug="terrorism"),
        TopicFactory(name="Energy", slug="energy"),
    )
    syria, iran = RegionFactory(name="Syria", slug="syria"), RegionFactory(name="Iran", slug="iran")
    ada, ben = PersonFactory(name="Ada Alpha", slug="ada"), PersonFactory(name="Ben Beta", slug="ben")
    rows = [
        ("a", watch, [terror], [syria], [ada], at(2020)),
        ("b", watch, [terror, energy], [iran], [ada, ben], at(2021)),
        ("c", notes, [terror], [syria, iran], [ben], at(2022)),
        ("d", notes, [energy], [iran], [ada], at(2023)),
        ("e", watch, [energy], [syria], [ben], at(2024)),
        ("f", notes, [], [], [ada], at(2025)),
    ]
    return {
        slug: PublicationFactory(
            slug=slug,
            title=f"Piece {slug}",
            type=kind,
            topics=topics,
            regions=regions,
            authors=authors,
            publish_at=when,
        )
        for slug, kind, topics, regions, authors, when in rows
    }


def facet(response, name):
    return {v["key"]: v["count"] for v in response.context["facets"][name]["values"]}


def listed(response):
    return sorted(p.slug for p in response.context["publications"])


def test_facet_counts_match_hand_computed_counts(client, archive, hidden_pieces):
    response = client.get("/policy-analysis/")
    assert facet(response, "type") == {"policywatch": 3, "policy-notes": 3}
    assert facet(response, "topic") == {"terrorism": 3, "energy": 3}
    assert facet(response, "region") == {"syria": 3, "iran": 3}
    assert facet(response, "expert") == {"ada": 4, "ben": 3}
    assert response.context["paginator"].count == 6


def test_each_facet_counts_with_the_other_filters_applied(client, archive):
    response = client.get("/policy-analysis/", {"topic": "terrorism", "type": "policywatch"})
    assert listed(response) == ["a", "b"]
    assert facet(response, "type") == {"policywatch": 2, "policy-notes": 1}  # terrorism only
    assert facet(response, "topic") == {"terrorism": 2, "energy": 2}  # policywatch only
    assert facet(response, "region") == {"syria": 1, "iran": 1}
    assert facet(response, "expert") == {"ada": 2, "ben": 1}
    assert response.context["paginator"].count == 2


def test_values_within_a_facet_widen_and_facets_narrow(client, archive):
    response = client.get("/policy-analysis/", {"region": ["syria", "iran"], "expert": "ben"})
    assert listed(response) == ["b", "c", "e"]


def test_date_range_and_sort(client, archive):
    response = client.get("/policy-analysis/", {"from": "2021", "to": "2023-12-31", "sort": "oldest"})
    assert [p.slug for p in response.context["publications"]] == ["b", "c", "d"]
    assert client.get("/policy-analysis/archive/2022/").context["publications"][0].slug == "c"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"topic": "atlantis"}, "There is no topic called “atlantis”."),
        ({"expert": "nobody"}, "There is no expert called “nobody”."),
        ({"sort": "random"}, "Select a valid choice."),
        ({"type": "x\x00y"}, "Null characters are not allowed."),
    ],
)
def test_bad_filters_get_a_400_page_that_says_why(client, archive, params, message):
    # A mistyped date is shown beside its field instead (tests/publications/test_listing_errors.py).
    response = client.get("/policy-analysis/", params)
    assert response.status_code == 400
    assert message in response.text


@pytest.mark.parametrize("url", ["/policy-analysis/feed/rss/", "/policy-analysis/feed/atom/"])
def test_bad_filters_on_a_feed_are_a_400_too(client, archive, url):
    # A topic that is no more is an empty feed that says so (tests/publications/test_feeds_gone.py).
    assert client.get(url, {"from": "yesterday"}).status_code == 400


def test_search_finds_by_title_summary_body_and_author(client, archive):
    edit_piece(archive["a"], title="Hezbollah's arsenal")
    edit_piece(archive["b"], summary="On the Hezbollah question.")
    edit_piece(archive["c"], body="<p>Nothing about Hezbollah here except this.</p>")
    response = client.get("/search/", {"q": "hezbollah"})
    assert listed(response) == ["a", "b", "c"]
    assert [p.slug for p in response.context["publications"]][0] == "a"  # the title hit ranks first
    assert "<mark>" in response.text
    assert listed(client.get("/search/", {"q": "Ada Alpha"})) == ["a", "b", "d", "f"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="websearch syntax and ranking are PostgreSQL's")
def test_postgres_search_ranks_title_above_body_and_understands_websearch_syntax(client, archive):
    edit_piece(archive["d"], body="<p>The red sea shipping lanes matter. Red sea, red sea.</p>")
    edit_piece(archive["e"], title="Red Sea shipping")
    edit_piece(archive["c"], body="<p>A red flag at sea.</p>")
    response = client.get("/search/", {"q": '"red sea"'})
    assert [p.slug for p in response.context["publications"]] == ["e", "d"]
    assert listed(client.get("/search/", {"q": "red -shipping"})) == ["c"]
    assert "<mark>" in client.get("/search/", {"q": "shipping"}).text


@pytest.mark.parametrize("query", ["", "   ", "?!...", "x" * 10_000, '"unclosed', "-", "OR", "<script>"])
def test_odd_queries_get_a_sensible_page(client, archive, query):
    # An empty or blank query is left out of the address first (a redirect).
    response = client.get("/search/", {"q": query}, follow=True)
    assert response.status_code == 200
    assert "<script>" not in response.text.split("<main")[1]
    if len(query) > 200:
        assert "shortened to its first 200 characters" in response.text
    listing = client.get("/policy-analysis/", {"q": query}, follow=True)
    assert listing.status_code == 200


def test_a_feed_for_every_view_parses_and_answers_304(client, archive):
    urls = [
        "/feeds/rss/",
        "/feeds/atom/",
        "/policy-analysis/feed/rss/?type=policywatch",
        "/policy-analysis/feed/atom/?topic=terrorism&region=syria",
        "/policy-analysis/feed/rss/?q=piece",
        "/topics/energy/feed/rss/",
        "/regions/iran/feed/atom/",
        "/experts/ada/feed/rss/",
        "/experts/ben/feed/atom/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert [link.href for link in feed.feed.links if link.rel == "self"] == [f"http://testserver{url}"], (
            url
        )
        assert feed.entries, url
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, url
    assert [e.title for e in feedparser.parse(client.get("/experts/ben/feed/atom/").content).entries] == [
        "Piece e",
        "Piece c",
        "Piece b",
    ]


def test_filtered_pages_advertise_their_own_feeds(client, archive):
    text = client.get("/policy-analysis/", {"topic": "terrorism", "page": "1"}).text
    assert 'href="/policy-analysis/feed/rss/?topic=terrorism"' in text
    assert 'href="/policy-analysis/feed/atom/?topic=terrorism"' in text
    assert 'href="/topics/energy/feed/atom/"' in client.get("/topics/energy/").text
    assert 'href="/experts/ada/feed/rss/"' in client.get("/experts/ada/").text


def test_related_pieces_share_topics_and_regions_and_exclude_the_piece(client, archive):
    response = client.get(archive["c"].get_absolute_url())
    related = [p.slug for p in response.context["related"]]
    assert "c" not in related
    assert related[0] in ("a", "b")  # share a topic and a region with c
    assert "f" not in related  # shares nothing


def test_a_renamed_piece_keeps_its_old_address(client, archive):
    piece = archive["a"]
    old = piece.get_absolute_url()
    piece = edit_piece(piece, slug="piece-a-renamed")
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == "/policy-analysis/piece-a-renamed/"
    piece = edit_piece(piece, slug="piece-a-again")
    assert client.get(old)["Location"] == "/policy-analysis/piece-a-again/"
    assert client.get("/policy-analysis/piece-a-renamed/")["Location"] == "/policy-analysis/piece-a-again/"
    assert client.get(f"/p/{piece.pk}/")["Location"] == "/policy-analysis/piece-a-again/"


def test_old_addresses_of_unpublished_pieces_do_not_redirect(client, archive):
    piece = archive["a"]
    old = piece.get_absolute_url()
    piece.slug = "moved"
    piece.status = Publication.Status.DRAFT
    piece.save()
    assert client.get(old).status_code == 404


def test_nothing_unpublished_appears_in_counts_search_feeds_related_or_citations(
    client, archive, hidden_pieces
):
    for piece in hidden_pieces:
        piece.topics.set(archive["a"].topics.all())
        piece.title = f"{piece.title} piece"
        piece.save()
    pages = [
        client.get("/policy-analysis/"),
        client.get("/search/", {"q": "unpublished"}),
        client.get("/search/", {"q": "piece"}),
        client.get("/policy-analysis/feed/rss/", {"q": "piece"}),
        client.get("/topics/terrorism/feed/atom/"),
        client.get(archive["a"].get_absolute_url()),
    ]
    for response in pages:
        for piece in hidden_pieces:
            assert piece.title not in response.text
    assert facet(pages[0], "topic")["terrorism"] == 3
    assert "secret-topic" not in facet(pages[0], "topic")
    for piece in hidden_pieces:
        assert client.get(f"{piece.get_absolute_url()}cite.bibtex").status_code == 404


def test_citation_downloads(client, archive):
    url = archive["a"].get_absolute_url()
    bib = client.get(f"{url}cite.bibtex")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert 'filename="a.bib"' in bib["Content-Disposition"]
    assert "Alpha, Ada" in bib.content.decode()
    assert "AU  - Alpha, Ada" in client.get(f"{url}cite.ris").content.decode()
    assert client.get(f"{url}cite.csl-json").json()[0]["author"] == [{"family": "Alpha", "given": "Ada"}]
    assert "Alpha, Ada. 2020." in client.get(url).text
    assert client.get(f"{url}cite.docx").status_code == 404


def test_the_feed_index_lists_the_main_feeds(client, archive):
    text = client.get("/feeds/").text
    for href in (
        "/feeds/rss/",
        "/policy-analysis/feed/rss/?type=policywatch",
        "/topics/terrorism/feed/rss/",
        "/regions/syria/feed/atom/",
        "/experts/ada/feed/rss/",
    ):
        assert f'href="{href}"' in text, href


def test_scheduled_search_vector_never_leaks_before_time(client, archive):
    PublicationFactory(title="Embargoed zeppelin", publish_at=timezone.now() + datetime.timedelta(days=1))
    assert listed(client.get("/search/", {"q": "zeppelin"})) == []


def test_sitemap_robots_and_structured_data_are_served(client, archive, hidden_pieces):
    import json
    import re

    robots = client.get("/robots.txt").text
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    index = client.get("/sitemap.xml").text
    for section in ("publications", "experts", "fellowships", "topics", "regions"):
        assert f"/sitemap-{section}.xml" in index
    pieces = client.get("/sitemap-publications.xml").text
    assert pieces.count("<url>") == 6 and "<lastmod>" in pieces
    for piece in hidden_pieces:
        assert piece.slug not in pieces
    page = client.get(archive["b"].get_absolute_url()).text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Article" and [a["name"] for a in data["author"]] == ["Ada Alpha", "Ben Beta"]
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="article:author" content="http://testserver/experts/ada/">' in page
    assert '"@type": "Person"' in client.get("/experts/ada/").text
    assert '"@type": "Organization"' in client.get("/").text


def test_deep_pages_list_the_same_pieces_as_plain_slicing(client, settings, monkeypatch):
    from publications.views import listing

    PublicationFactory.create_batch(45)
    monkeypatch.setattr(listing, "DEFERRED_JOIN_FROM", 0)
    deferred = [p.pk for p in client.get("/policy-analysis/", {"page": 2}).context["publications"]]
    monkeypatch.setattr(listing, "DEFERRED_JOIN_FROM", 10**9)
    plain = [
        p.pk for p in client.get("/policy-analysis/", {"page": 2, "sort": "newest"}).context["publications"]
    ]
    assert deferred == plain and len(plain) == 20
