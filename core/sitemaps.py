"""Sitemaps addressed from SITE_URL (SiteSitemap, which every app's sitemap starts from) and the
sitemap of the institute's own pages (about, contact, privacy)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


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
