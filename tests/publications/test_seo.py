"""Sitemaps, JSON-LD, social meta tags and robots.txt: public pieces only, safely embedded."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.sites.requests import RequestSite
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.robots import robots_txt
from publications.models import Publication
from publications.seo import article_jsonld, jsonld_script, organization_jsonld, person_jsonld
from publications.sitemaps import (
    SITEMAPS,
    ExpertSitemap,
    FellowshipSitemap,
    PublicationSitemap,
    RegionSitemap,
    TopicSitemap,
)
from tests.factories import (
    FellowshipFactory,
    PersonFactory,
    PublicationFactory,
    RegionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

BASE = "https://think.example"


def url_for(path):
    return BASE + path


def sitemap_urls(sitemap_class):
    """Render a sitemap's first page as the sitemap view would for http://testserver."""
    request = RequestFactory().get("/sitemap.xml")
    return sitemap_class().get_urls(page=1, site=RequestSite(request), protocol="http")


def lastmods(sitemap_class):
    sitemap = sitemap_class()
    return {item.pk: sitemap.lastmod(item) for item in sitemap.items()}


# Sitemaps


def test_sitemaps_name_every_section():
    assert list(SITEMAPS) == ["publications", "experts", "fellowships", "topics", "regions"]


def test_publication_sitemap_lists_published_pieces_only_newest_first(hidden_pieces):
    older = PublicationFactory(publish_at=timezone.now() - datetime.timedelta(days=9))
    newer = PublicationFactory(publish_at=timezone.now() - datetime.timedelta(days=1))
    assert list(PublicationSitemap().items()) == [newer, older]
    assert PublicationSitemap.limit == 5000
    locations = [url["location"] for url in sitemap_urls(PublicationSitemap)]
    assert locations == [f"http://testserver{p.get_absolute_url()}" for p in (newer, older)]
    for piece in hidden_pieces:
        assert all(piece.slug not in location for location in locations)


def test_publication_lastmod_is_its_last_change(hidden_pieces):
    piece = PublicationFactory(publish_at=timezone.now() - datetime.timedelta(days=3))
    piece.refresh_from_db()
    assert lastmods(PublicationSitemap) == {piece.pk: piece.updated_at}
    assert PublicationSitemap().get_latest_lastmod() == piece.updated_at


def test_a_piece_saved_before_it_went_public_is_modified_when_it_went_public():
    piece = PublicationFactory(publish_at=timezone.now() + datetime.timedelta(hours=1))
    went_public = timezone.now() - datetime.timedelta(minutes=1)
    # As if the piece was last saved two hours ago and its time has since come.
    Publication.objects.filter(pk=piece.pk).update(
        publish_at=went_public, updated_at=went_public - datetime.timedelta(hours=2)
    )
    assert lastmods(PublicationSitemap) == {piece.pk: went_public}


def test_sitemap_addresses_follow_site_url_when_set(settings):
    settings.SITE_URL = "https://www.example.org/"
    piece = PublicationFactory()
    assert [url["location"] for url in sitemap_urls(PublicationSitemap)] == [
        f"https://www.example.org{piece.get_absolute_url()}"
    ]


def test_expert_sitemap_lists_experts_and_authors_of_published_pieces_only(hidden_pieces):
    expert = PersonFactory(name="Listed Expert")
    outside_author = PersonFactory(name="Outside Author", is_expert=False)
    piece = PublicationFactory(authors=[outside_author])
    hidden_only = PersonFactory(name="Drafts Only", is_expert=False)
    for hidden in hidden_pieces:
        PublicationFactory(status=hidden.status, publish_at=hidden.publish_at, authors=[hidden_only])
    PersonFactory(name="Nobody", is_expert=False)
    listed = {person.name for person in ExpertSitemap().items()}
    assert listed == {"Listed Expert", "Outside Author", "Hidden Author"}
    dates = lastmods(ExpertSitemap)
    expert.refresh_from_db()
    assert dates[expert.pk] == expert.updated_at
    assert dates[outside_author.pk] == max(outside_author.updated_at, piece.publish_at)


def test_fellowship_sitemap_lists_every_fellowship():
    fellowship = FellowshipFactory()
    assert [url["location"] for url in sitemap_urls(FellowshipSitemap)] == [
        f"http://testserver{fellowship.get_absolute_url()}"
    ]


@pytest.mark.parametrize(("sitemap_class", "field"), [(TopicSitemap, "topics"), (RegionSitemap, "regions")])
def test_term_lastmod_is_its_newest_published_piece(hidden_pieces, sitemap_class, field):
    term = (TopicFactory if field == "topics" else RegionFactory)()
    empty = (TopicFactory if field == "topics" else RegionFactory)()
    newest = PublicationFactory(publish_at=timezone.now() - datetime.timedelta(days=2), **{field: [term]})
    PublicationFactory(publish_at=timezone.now() - datetime.timedelta(days=5), **{field: [term]})
    # The hidden pieces (one scheduled two days ahead) share the "Secret" term: no date leaks.
    PublicationFactory(status=Publication.Status.DRAFT, publish_at=None, **{field: [term]})
    secret = getattr(hidden_pieces[0], field).get()
    dates = lastmods(sitemap_class)
    assert dates == {term.pk: newest.publish_at, empty.pk: None, secret.pk: None}
    assert sitemap_class().get_latest_lastmod() == newest.publish_at
    locations = {url["location"] for url in sitemap_urls(sitemap_class)}
    assert f"http://testserver{term.get_absolute_url()}" in locations


@pytest.mark.parametrize("section", SITEMAPS)
def test_a_sitemap_page_costs_the_same_queries_for_few_items_and_many(rich_pieces, section):
    rich_pieces(3)

    def count():
        with CaptureQueriesContext(connection) as captured:
            sitemap_urls(SITEMAPS[section])
        return len(captured)

    few = count()
    rich_pieces(30)
    FellowshipFactory.create_batch(5)
    assert count() == few


# JSON-LD


class ScriptParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.data = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.data.append(data)


def parse_script(html):
    """Parse the markup as a browser would; return its start tags and the script's text."""
    parser = ScriptParser()
    parser.feed(html)
    parser.close()
    return parser.tags, "".join(parser.data)


@pytest.fixture
def piece(db):
    first = PersonFactory(name="Zed Zulu", job_title="Senior Fellow")
    second = PersonFactory(name="Ada Alpha", job_title="Fellow")
    outside = PersonFactory(name="Guest Writer", is_expert=False, job_title="")
    piece = PublicationFactory(
        title="Deterrence </script><script>alert(1)</script> & <!-- more",
        summary="Why the line holds.",
        authors=[first, second, outside],
        topics=[TopicFactory(name="Military & Security")],
        regions=[RegionFactory(name="Israel")],
        tags=["drones"],
    )
    return Publication.objects.with_cards().prefetch_related("topics", "regions", "tags").get(pk=piece.pk)


def test_article_jsonld_round_trips_through_the_script_element(piece, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = str(jsonld_script(article_jsonld(piece, url_for)))
    tags, text = parse_script(html)
    assert tags == [("script", {"type": "application/ld+json"})]
    assert re.fullmatch(r'<script type="application/ld\+json">[^<>&]*</script>', html)
    data = json.loads(text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"] == piece.title
    assert data["description"] == "Why the line holds."
    assert data["url"] == data["mainEntityOfPage"]["@id"] == BASE + piece.get_absolute_url()
    assert datetime.datetime.fromisoformat(data["datePublished"]) == piece.publish_at
    assert datetime.datetime.fromisoformat(data["dateModified"]) >= piece.publish_at
    assert data["inLanguage"] == "en"
    assert data["articleSection"] == "PolicyWatch"
    assert data["keywords"] == ["Military & Security", "Israel", "drones"]
    assert data["isPartOf"]["name"] == "Policy Analysis"
    assert data["publisher"]["name"] == "The Washington Institute for Near East Policy"
    assert data["publisher"]["logo"]["url"].startswith(BASE + "/static/")


def test_article_jsonld_names_every_author_in_byline_order_with_affiliation(piece):
    authors = article_jsonld(piece, url_for)["author"]
    assert [a["name"] for a in authors] == ["Zed Zulu", "Ada Alpha", "Guest Writer"]
    assert [a["url"] for a in authors] == [
        BASE + a.person.get_absolute_url() for a in piece.ordered_authorships
    ]
    institute = {
        "@type": "Organization",
        "@id": f"{BASE}/#organization",
        "name": "The Washington Institute for Near East Policy",
        "url": f"{BASE}/",
    }
    assert authors[0]["affiliation"] == authors[1]["affiliation"] == institute
    assert authors[0]["jobTitle"] == "Senior Fellow"
    assert authors[0]["description"] == "Zed Zulu is a Senior Fellow at The Washington Institute."
    # An outside co-author with no post here is not claimed for the institution.
    assert "affiliation" not in authors[2]


def test_no_jsonld_for_a_piece_readers_may_not_see(hidden_pieces):
    for hidden in hidden_pieces:
        assert article_jsonld(hidden, url_for) is None
        assert jsonld_script(article_jsonld(hidden, url_for)) == ""


def test_person_jsonld_describes_the_expert_and_their_employer():
    person = PersonFactory(name="Ada Alpha", job_title="Senior Fellow", expertise="Iran, Drones")
    tags, text = parse_script(str(jsonld_script(person_jsonld(person, url_for))))
    data = json.loads(text)
    assert data["@type"] == "Person"
    assert data["name"] == "Ada Alpha"
    assert data["url"] == BASE + person.get_absolute_url()
    assert data["jobTitle"] == "Senior Fellow"
    assert data["description"] == "Ada Alpha studies the region."
    assert data["affiliation"] == data["worksFor"]
    assert data["worksFor"]["name"] == "The Washington Institute for Near East Policy"
    assert data["knowsAbout"] == ["Iran", "Drones"]


def test_organization_jsonld_names_the_institution():
    data = organization_jsonld(url_for)
    assert data["@type"] == "Organization"
    assert data["name"] == "The Washington Institute for Near East Policy"
    assert data["alternateName"] == "The Washington Institute"
    assert data["url"] == f"{BASE}/"


# Social meta tags


def test_social_meta_for_an_article():
    published = datetime.datetime(2025, 3, 4, 15, 30, tzinfo=datetime.UTC)
    html = render_to_string(
        "includes/social_meta.html",
        {
            "institution_full_name": "The Washington Institute for Near East Policy",
            "og_title": 'A "quoted" <title>',
            "og_description": "Why the line holds.",
            "og_url": f"{BASE}/policy-analysis/piece/",
            "og_type": "article",
            "og_image": f"{BASE}/media/piece.jpg",
            "article_published": published,
            "article_authors": [f"{BASE}/experts/a/", f"{BASE}/experts/b/"],
        },
    )
    tags, _ = parse_script(html)
    meta = [(attrs.get("property") or attrs.get("name"), attrs["content"]) for _, attrs in tags]
    # Rendered in the site's time zone, with its offset: the same instant.
    assert datetime.datetime.fromisoformat(meta[8][1]) == published
    meta[8] = (meta[8][0], "(checked)")
    assert meta == [
        ("og:site_name", "The Washington Institute for Near East Policy"),
        ("og:locale", "en_US"),
        ("og:type", "article"),
        ("og:title", 'A "quoted" <title>'),
        ("og:description", "Why the line holds."),
        ("og:url", f"{BASE}/policy-analysis/piece/"),
        ("og:image", f"{BASE}/media/piece.jpg"),
        ("twitter:card", "summary_large_image"),
        ("article:published_time", "(checked)"),
        ("article:author", f"{BASE}/experts/a/"),
        ("article:author", f"{BASE}/experts/b/"),
    ]
    assert "<title>" not in html


def test_social_meta_for_a_page_without_an_image():
    html = render_to_string(
        "includes/social_meta.html",
        {"og_title": "Experts", "og_url": f"{BASE}/experts/", "og_type": "website"},
    )
    assert '<meta name="twitter:card" content="summary">' in html
    assert "article:" not in html and "og:image" not in html


# robots.txt


def test_robots_txt_disallows_the_admin_and_names_the_sitemap():
    response = robots_txt(RequestFactory().get("/robots.txt"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert [line for line in lines if line.startswith("Disallow")] == ["Disallow: /admin/"]
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_names_the_sitemap_at_site_url(settings):
    settings.SITE_URL = "https://www.example.org"
    response = robots_txt(RequestFactory().get("/robots.txt"))
    assert "Sitemap: https://www.example.org/sitemap.xml" in response.content.decode().splitlines()
