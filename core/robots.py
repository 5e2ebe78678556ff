"""robots.txt: everything public may be crawled except the admin; points crawlers at the sitemap."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .links import absolute_url

SITEMAP_PATH = "/sitemap.xml"


@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    if settings.ADMIN_URL == "admin/":
        # A custom admin address is kept out of robots.txt, which anyone can read.
        lines.append(f"Disallow: {reverse('admin:index')}")
    else:
        lines.append("Disallow:")
    lines += ["", f"Sitemap: {absolute_url(request, SITEMAP_PATH)}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
