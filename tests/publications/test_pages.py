import re

import pytest

from tests.factories import (
    PersonFactory,
    PublicationFactory,
    PublicationTypeFactory,
    RegionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_every_public_page_answers(client):
    author = PersonFactory()
    topic, region = TopicFactory(), RegionFactory()
    piece = PublicationFactory(authors=[author], topics=[topic], regions=[region])
    urls = [
        "/",
        "/policy-analysis/",
        piece.get_absolute_url(),
        "/experts/",
        author.get_absolute_url(),
        "/fellowships/",
        "/topics/",
        topic.get_absolute_url(),
        "/regions/",
        region.get_absolute_url(),
        "/feeds/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/policy-analysis/no-such-piece/",
        "/experts/nobody/",
        "/fellowships/no-such-fellowship/",
        "/topics/no-such-topic/",
        "/regions/atlantis/",
        "/p/999999/",
        "/no-such-page/",
    ],
)
def test_unknown_addresses_get_the_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "We can’t find that page" in response.text


@pytest.mark.parametrize("page", ["abc", "999999", "0", "-1", "1.5", "9" * 400])
def test_a_bad_page_number_is_a_404_not_a_500(client, page):
    author = PersonFactory()
    topic = TopicFactory()
    PublicationFactory(authors=[author], topics=[topic])
    for url in ("/policy-analysis/", author.get_absolute_url(), topic.get_absolute_url()):
        response = client.get(url, {"page": page})
        assert response.status_code == 404, url
        assert "We can’t find that page" in response.text


def test_an_unknown_type_filter_is_a_400_with_a_reason(client):
    response = client.get("/policy-analysis/", {"type": "<script>x</script>"})
    assert response.status_code == 400
    assert "There is no publication type called" in response.text
    assert "<script>x</script>" not in response.text


def test_the_listing_shows_20_pieces_a_page_newest_first(client):
    pieces = PublicationFactory.create_batch(45)  # the factory makes each one a day older
    first = client.get("/policy-analysis/")
    assert [p.pk for p in first.context["publications"]] == [p.pk for p in pieces[:20]]
    assert "Page 2" in first.text and 'rel="next"' in first.text
    last = client.get("/policy-analysis/", {"page": 3})
    assert [p.pk for p in last.context["publications"]] == [p.pk for p in pieces[40:]]
    assert "45 pieces" in last.text


def test_the_listing_narrows_to_one_type(client):
    testimony = PublicationTypeFactory(name="Testimony", slug="testimony")
    heard = PublicationFactory(type=testimony, title="Before the committee")
    PublicationFactory(title="A PolicyWatch")
    response = client.get("/policy-analysis/", {"type": "testimony"})
    assert list(response.context["publications"]) == [heard]
    assert "A PolicyWatch" not in response.text


def test_the_short_link_redirects_permanently_to_the_piece(client):
    piece = PublicationFactory()
    response = client.get(f"/p/{piece.pk}/")
    assert response.status_code == 301
    assert response["Location"] == piece.get_absolute_url()


def test_every_page_advertises_the_rss_and_atom_feeds(client):
    piece = PublicationFactory()
    for url in ("/", "/policy-analysis/", piece.get_absolute_url(), "/experts/", "/fellowships/"):
        text = client.get(url).text
        assert re.search(
            r'<link rel="alternate" type="application/rss\+xml" [^>]*href="/feeds/rss/">', text
        ), url
        assert re.search(
            r'<link rel="alternate" type="application/atom\+xml" [^>]*href="/feeds/atom/">', text
        ), url


def test_a_piece_page_shows_byline_bio_topics_regions_and_outlet(client):
    first, second = PersonFactory(name="Ada Alpha"), PersonFactory(name="Ben Beta")
    topic, region = TopicFactory(name="Terrorism"), RegionFactory(name="Syria")
    piece = PublicationFactory(
        authors=[first, second], topics=[topic], regions=[region], outlet_name="The Daily Outlet"
    )
    text = client.get(piece.get_absolute_url()).text
    first_link = f'<a href="{first.get_absolute_url()}">Ada Alpha</a>'
    second_link = f'<a href="{second.get_absolute_url()}">Ben Beta</a>'
    assert f"{first_link} and {second_link}" in text
    assert "Ada Alpha is a Senior Fellow at The Washington Institute." in text
    assert f'<a href="{topic.get_absolute_url()}">Terrorism</a>' in text
    assert f'<a href="{region.get_absolute_url()}">Syria</a>' in text
    assert "Originally published in" in text and "The Daily Outlet" in text


def test_the_500_page_is_in_the_site_design_and_needs_no_database(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text and 'class="site-header"' in text


def test_tags_link_to_a_search_for_them(client):
    piece = PublicationFactory(tags=["Red Sea"])
    assert 'href="/search/?q=%22Red%20Sea%22">Red Sea</a>' in client.get(piece.get_absolute_url()).text
