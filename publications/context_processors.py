from django.conf import settings


def site(request):
    """Expose the institution's names to every template."""
    return {
        "institution_name": settings.INSTITUTION_NAME,
        "institution_full_name": settings.INSTITUTION_FULL_NAME,
    }
