"""The institute's own pages (about, contact, privacy), the footer that links them, and search
from every page."""

import re

import pytest

pytestmark = pytest.mark.django_db

SITE_PAGES = ("/about/", "/contact/", "/privacy/")


@pytest.mark.parametrize("url", SITE_PAGES)
def test_each_site_page_answers_with_its_own_title(client, url):
    response = client.get(url)
    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", response.text).group(1)
    assert title.split(" · ")[0] in ("About", "Contact", "Privacy")


def test_contact_page_gives_the_institution_s_addresses_from_settings(client, settings):
    settings.INSTITUTION_EMAIL = "office@institute.test"
    settings.INSTITUTION_MEDIA_EMAIL = "media@institute.test"
    settings.INSTITUTION_ADDRESS = "1 Policy Square, Washington, DC"
    settings.INSTITUTION_PHONE = "+1 202 555 0100"
    text = client.get("/contact/").text
    assert 'href="mailto:office@institute.test"' in text
    assert 'href="mailto:media@institute.test"' in text
    assert "1 Policy Square, Washington, DC" in text
    assert 'href="tel:+12025550100"' in text
    assert "placeholders" not in text


def test_contact_page_says_when_its_addresses_are_placeholders(client):
    # The defaults are example.org addresses, which reach no one: the page must not pretend.
    assert "addresses at example.org are placeholders and reach no one" in client.get("/contact/").text


def test_no_phone_is_shown_when_none_is_configured(client, settings):
    settings.INSTITUTION_PHONE = ""
    assert "tel:" not in client.get("/contact/").text


def test_privacy_page_says_what_the_site_keeps(client, settings):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    text = client.get("/privacy/").text
    for fact in ("no tracker", "IP address", "User-Agent", "sessionid", "after 8 hours", "csrftoken"):
        assert fact in text, fact


def test_reading_the_site_pages_sets_no_cookie(client):
    # The privacy page promises readers no cookies.
    for url in (*SITE_PAGES, "/", "/search/?q=iran", "/no-such-page/"):
        assert not client.get(url).cookies, url


def test_the_site_pages_are_in_the_sitemap(client):
    index = client.get("/sitemap.xml").text
    assert "/sitemap-pages.xml" in index
    pages = client.get("/sitemap-pages.xml").text
    for url in SITE_PAGES:
        assert f"<loc>http://testserver{url}</loc>" in pages


def test_footer_names_the_institution_and_links_its_pages_feeds_and_copyright(client, settings):
    settings.INSTITUTION_FULL_NAME = "Institute for Testing Policy"
    settings.INSTITUTION_ADDRESS = "2 Test Street"
    footer = client.get("/").text.split('<footer class="site-footer">')[1]
    assert "Institute for Testing Policy" in footer and "2 Test Street" in footer
    for url in (*SITE_PAGES, "/feeds/"):
        assert f'href="{url}"' in footer, url
    assert re.search(r"© \d{4} Institute for Testing Policy\. All rights reserved\.", footer)


def test_footer_notes_sample_content_only_where_demo_content_may_be(client, settings):
    note = "Pieces and profiles marked as sample content were written for the demo"
    assert note in client.get("/").text
    settings.DEMO_CONTENT_ALLOWED = False
    assert note not in client.get("/").text


@pytest.mark.parametrize("url", ("/", "/about/", "/experts/", "/feeds/", "/no-such-page/"))
def test_every_page_has_a_labelled_search_field_in_its_header(client, url):
    header = client.get(url).text.split("</header>")[0]
    form = re.search(r'<form class="site-search"[^>]*>', header).group(0)
    assert 'action="/search/"' in form and 'method="get"' in form and 'role="search"' in form
    assert '<label class="visually-hidden" for="site-search-q">' in header
    assert 'id="site-search-q" name="q"' in header
    # Without JavaScript, the phone's folded search is a plain link to the search page.
    assert '<a class="site-search-toggle" href="/search/"' in header


def test_the_not_found_page_offers_a_search(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    main = response.text.split('<main id="main"')[1].split("</main>")[0]
    assert 'action="/search/"' in main and 'for="not-found-q"' in main


def test_the_search_page_has_no_second_box_in_its_footer(client):
    assert 'id="footer-search-q"' in client.get("/").text
    assert 'id="footer-search-q"' not in client.get("/search/?q=iran").text
