from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.health import healthz
from core.media import serve_media
from core.robots import robots_txt
from core.sitemaps import SitePagesSitemap, sitemap_index, sitemap_section
from core.views import favicon
from publications.sitemaps import SITEMAPS
from publications.views import view_on_site

admin.site.site_header = f"{settings.INSTITUTION_NAME}: publishing"
admin.site.site_title = settings.INSTITUTION_NAME
admin.site.index_title = "Publications, people and taxonomy"

SITE_SITEMAPS = {**SITEMAPS, "pages": SitePagesSitemap}

urlpatterns = [
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    # Before the admin's own shortcut, which would redirect any staff member to a draft's address.
    path(
        f"{settings.ADMIN_URL}r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="admin-view-on-site",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITE_SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_section, {"sitemaps": SITE_SITEMAPS}, name="sitemap-section"),
    path("", include("core.urls")),
    path("", include("people.urls")),
    path("email/", include("alerts.urls")),
    path("", include("publications.urls")),
]
if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    # A provider's bounce and complaint webhooks (docs/email.md); without a secret anyone could
    # post to them, so they are only there with one.
    urlpatterns.append(path("email/anymail/", include("anymail.urls")))
if settings.MEDIA_URL.startswith("/"):
    # Uploads served by this site (not a bucket's own domain): each one checked against the piece
    # it belongs to.
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", serve_media, name="media"))

handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"
