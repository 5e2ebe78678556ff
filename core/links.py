"""Absolute and canonical addresses: from SITE_URL when set, else from the request."""

from django.conf import settings
from django.utils.http import urlencode

from core.security import check_host_port

# Query parameters that change what a page shows; anything else (tracking tags) is not canonical.
CANONICAL_PARAMS = ("type", "page")


def site_url(request):
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    host = request.get_host()
    check_host_port(host)
    return f"{request.scheme}://{host}"


def absolute_url(request, path):
    return site_url(request) + path


def canonical_url(request):
    params = [
        (name, request.GET[name])
        for name in CANONICAL_PARAMS
        if request.GET.get(name) and not (name == "page" and request.GET[name] == "1")
    ]
    query = f"?{urlencode(params)}" if params else ""
    return absolute_url(request, request.path + query)
