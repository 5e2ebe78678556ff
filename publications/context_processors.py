from django.conf import settings

from .links import canonical_url, site_url


def site(request):
    """Expose the institution's names and the site's absolute addresses to every template."""
    return {
        "institution_name": settings.INSTITUTION_NAME,
        "institution_full_name": settings.INSTITUTION_FULL_NAME,
        "site_url": site_url(request),
        "canonical_url": canonical_url(request),
    }
