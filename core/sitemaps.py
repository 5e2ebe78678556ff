"""The sitemap of the institute's own pages (about, contact, privacy)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class SitePagesSitemap(Sitemap):
    """Addresses from settings.SITE_URL when set (as the other sitemaps), else the request.

    The pages change with a release, not with content, so they carry no lastmod.
    """

    def items(self):
        return ["core:about", "core:contact", "core:privacy"]

    def location(self, item):
        return reverse(item)

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme or "https"
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            parts = urlsplit(settings.SITE_URL)
            return parts.netloc + parts.path.rstrip("/")
        return super().get_domain(site)
