"""Sitemaps addressed from SITE_URL (SiteSitemap, which every app's sitemap starts from), the
sitemap of the institute's own pages (about, contact, privacy), and the view of a sitemap's
section, which writes Django's sitemap XML in Python (``sitemap_section``)."""

import datetime
from html import escape
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from .purge import show

# A sitemap lists every public page and when it last changed: any change of a kind purges it.
SITEMAP_KEYS = ("piece", "person", "fellowship", "topic", "region", "list")

URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def sitemap_index(request, sitemaps, **kwargs):
    """Django's sitemap index, tagged with what it shows."""
    show(*SITEMAP_KEYS)
    return sitemap_views.index(request, sitemaps, **kwargs)


def sitemap_section(request, sitemaps, section):
    """Django's sitemap view of one section (its pages, 404s, Last-Modified and X-Robots-Tag),
    with the XML written here instead of by its template: the template engine spent about
    0.2 ms on each URL, a second on a page of 5,000 (profiled on the 100,000-piece bench)."""
    show(*SITEMAP_KEYS)
    response = sitemap_views.sitemap(request, sitemaps, section=section)
    written = HttpResponse(urlset_xml(response.context_data["urlset"]), content_type=response["Content-Type"])
    for header in ("Last-Modified", "X-Robots-Tag"):
        if header in response:
            written[header] = response[header]
    return written


def urlset_xml(urls):
    """Return what Django's sitemap.xml template makes of ``urls`` (its ``get_urls()``), element
    for element: locations escaped as the template escapes them (html.escape), lastmod as the
    day in the site's time zone, and changefreq, priority and alternates when given."""
    parts = [URLSET]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url.get("lastmod"):
            parts.append(f"<lastmod>{_day(url['lastmod'])}</lastmod>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{escape(str(url['priority']))}</priority>")
        for alternate in url.get("alternates") or ():
            code, location = escape(alternate["lang_code"]), escape(alternate["location"])
            parts.append(f'<xhtml:link rel="alternate" hreflang="{code}" href="{location}"/>')
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)


def _day(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # as the template's date filter shows it
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


class SiteSitemap(Sitemap):
    """Addresses from settings.SITE_URL when set (as canonical links and feeds), else the request."""

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme or "https"
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            parts = urlsplit(settings.SITE_URL)
            return parts.netloc + parts.path.rstrip("/")
        return super().get_domain(site)


class SitePagesSitemap(SiteSitemap):
    """The pages change with a release, not with content, so they carry no lastmod."""

    def items(self):
        return ["core:about", "core:contact", "core:privacy"]

    def location(self, item):
        return reverse(item)
