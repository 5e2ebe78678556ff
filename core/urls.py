from django.urls import path

from . import pages

app_name = "core"

urlpatterns = [
    path("about/", pages.AboutView.as_view(), name="about"),
    path("contact/", pages.ContactView.as_view(), name="contact"),
    path("privacy/", pages.PrivacyView.as_view(), name="privacy"),
]
