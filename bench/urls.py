"""The site's URLconf plus a ceiling view: 20 KB of fixed HTML, the fastest a Django page can be here.

bench/settings.py's ROOT_URLCONF; never in production.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler500  # noqa: F401 (the site's error pages)
from config.urls import urlpatterns as site_urlpatterns

CEILING_HTML = (
    "<!DOCTYPE html><html lang='en'><head><title>ceiling</title></head><body>"
    + "x" * 20_400
    + "</body></html>"
).encode()


def ceiling(request):
    return HttpResponse(CEILING_HTML)


urlpatterns = [path("__ceiling__/", ceiling), *site_urlpatterns]
