"""A sitemap section's XML is written in Python (core.sitemaps.urlset_xml), not by Django's
template: a crawler must read exactly what the template would have written."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.contrib.sitemaps import views
from django.template.loader import render_to_string
from django.utils import timezone

from config.urls import SITE_SITEMAPS
from core.sitemaps import urlset_xml
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def entries(xml):
    """Every <url> as (loc, lastmod, changefreq, priority, [(hreflang, href)])."""
    root = ET.fromstring(xml.encode())
    return [
        (
            url.findtext("s:loc", namespaces=NS),
            url.findtext("s:lastmod", namespaces=NS),
            url.findtext("s:changefreq", namespaces=NS),
            url.findtext("s:priority", namespaces=NS),
            [(link.get("hreflang"), link.get("href")) for link in url.findall("x:link", NS)],
        )
        for url in root.findall("s:url", NS)
    ]


def test_the_xml_is_the_templates_for_every_field_a_sitemap_may_give(settings):
    settings.TIME_ZONE = "America/New_York"
    late_evening = datetime.datetime(2026, 3, 2, 3, 30, tzinfo=datetime.UTC)  # still March 1st there
    urls = [
        {
            "location": "https://example.org/a/?x=1&y=<2>",
            "lastmod": late_evening,
            "changefreq": None,
            "priority": None,
            "alternates": [],
        },
        {
            "location": "https://example.org/b/",
            "lastmod": datetime.date(2015, 11, 30),
            "changefreq": "weekly",
            "priority": Decimal("0.5"),
            "alternates": [{"lang_code": "ar", "location": "https://example.org/ar/b/"}],
        },
        {
            "location": "https://example.org/c/",
            "lastmod": None,
            "changefreq": None,
            "priority": None,
            "alternates": [],
        },
    ]
    with timezone.override("America/New_York"):
        ours, theirs = urlset_xml(urls), render_to_string("sitemap.xml", {"urlset": urls})
    assert entries(ours) == entries(theirs)
    assert entries(ours)[0][:2] == ("https://example.org/a/?x=1&y=<2>", "2026-03-01")


def test_the_pieces_section_reads_as_the_template_wrote_it(client):
    PublicationFactory.create_batch(5)
    response = client.get("/sitemap-publications.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert "noindex" in response["X-Robots-Tag"] and "Last-Modified" in response
    template = views.sitemap(response.wsgi_request, SITE_SITEMAPS, section="publications")
    assert entries(response.text) == entries(template.render().text)
    assert len(entries(response.text)) == 5
    assert client.get("/sitemap-publications.xml", {"p": 9}).status_code == 404
