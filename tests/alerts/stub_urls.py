"""The site's URLconf, with stand-ins for the alerts' three links for as long as config/urls.py
does not include the alerts' own (the sending tests and their worker only need to reverse them)."""

from django.http import HttpResponse
from django.urls import URLResolver, include, path

from config.urls import urlpatterns as site


def _stub(request, token):
    return HttpResponse()


stubs = [
    path("email/confirm/<str:token>/", _stub, name="confirm"),
    path("email/manage/<str:token>/", _stub, name="manage"),
    path("email/unsubscribe/<str:token>/", _stub, name="unsubscribe"),
]
wired = any(isinstance(pattern, URLResolver) and pattern.namespace == "alerts" for pattern in site)
urlpatterns = site if wired else [*site, path("", include((stubs, "alerts")))]
