"""The institute's own pages: about, contact and privacy, with the facts from settings."""

from django.conf import settings
from django.views.generic import TemplateView

# Addresses under this domain (RFC 2606) reach no one: the contact page says so.
PLACEHOLDER_DOMAIN = "@example.org"


class SitePageView(TemplateView):
    """A page of the site's own, marked in the footer's navigation as the current one."""

    nav = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(nav=self.nav, **kwargs)


class AboutView(SitePageView):
    template_name = "core/about.html"
    nav = "about"


class ContactView(SitePageView):
    template_name = "core/contact.html"
    nav = "contact"

    def get_context_data(self, **kwargs):
        addresses = (settings.INSTITUTION_EMAIL, settings.INSTITUTION_MEDIA_EMAIL)
        placeholders = any(address.lower().endswith(PLACEHOLDER_DOMAIN) for address in addresses)
        return super().get_context_data(placeholder_contacts=placeholders, **kwargs)


class PrivacyView(SitePageView):
    template_name = "core/privacy.html"
    nav = "privacy"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            media_origin=settings.MEDIA_ORIGIN,
            staff_session_hours=settings.SESSION_COOKIE_AGE // 3600,
            **kwargs,
        )
