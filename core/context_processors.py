from django.conf import settings
from django.core.exceptions import SuspiciousOperation

from .links import canonical_url, site_url


def site(request):
    """Expose the institution's names, its contacts and the site's absolute addresses to every template.

    The error pages render through here too, for requests whose Host header is not allowed or
    whose query string has too many fields: those raise again when read, so such a page gets the
    configured address (or none) and no canonical link, rather than failing as a 500.
    """
    context = {
        "institution_name": settings.INSTITUTION_NAME,
        "institution_full_name": settings.INSTITUTION_FULL_NAME,
        "institution_address": settings.INSTITUTION_ADDRESS,
        "institution_email": settings.INSTITUTION_EMAIL,
        "institution_media_email": settings.INSTITUTION_MEDIA_EMAIL,
        "institution_phone": settings.INSTITUTION_PHONE,
        # Only where demo content may be loaded (dev, tests, the demo): the footer says so.
        "demo_content": settings.DEMO_CONTENT_ALLOWED,
    }
    try:
        context.update(site_url=site_url(request), canonical_url=canonical_url(request))
    except SuspiciousOperation:
        context.update(site_url=settings.SITE_URL.rstrip("/"), canonical_url="")
    return context
