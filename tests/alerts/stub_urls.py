"""The site's URLconf with stand-ins for the alerts' three links, for as long as the alerts'
own URLconf is not wired into config/urls.py (the sending tests only need to reverse them)."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site

stubs = [
    path("email/confirm/<str:token>/", lambda request, token: HttpResponse(), name="confirm"),
    path("email/manage/<str:token>/", lambda request, token: HttpResponse(), name="manage"),
    path("email/unsubscribe/<str:token>/", lambda request, token: HttpResponse(), name="unsubscribe"),
]
urlpatterns = [*site, path("", include((stubs, "alerts")))]
