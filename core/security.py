"""Security headers Django does not set itself, the Host port check, and the client address
behind a proxy."""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port

DEFAULT_PORTS = {"80", "443"}


class PermissionsPolicyMiddleware:
    """Send a Permissions-Policy header that turns off browser features the site never uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def check_host_port(host):
    """Raise DisallowedHost when ``host`` names a port the site is not served on.

    Django matches ALLOWED_HOSTS without the port, and absolute links (feeds, canonical links)
    are made from the Host header when SITE_URL is unset: ``Host: example.org:9999`` would put
    ``:9999`` into them, and into the cached copies every reader gets.
    """
    allowed = settings.ALLOWED_HOST_PORTS
    if allowed is None:
        return
    port = split_domain_port(host)[1]
    if port and port not in DEFAULT_PORTS and port not in allowed:
        raise DisallowedHost(f"Invalid port in HTTP_HOST header: {port!r}.")


class HostPortMiddleware:
    """Answer 400 to a request whose Host header names a port not in DJANGO_ALLOWED_PORTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        check_host_port(request.get_host())
        return self.get_response(request)


def client_ip(request):
    """Return the address the request came from.

    Behind ``DJANGO_TRUSTED_PROXIES`` reverse proxies the address is read from X-Forwarded-For,
    counting that many hops from the right (a client can forge the left part, not the proxies').
    Otherwise X-Forwarded-For is ignored, so a client cannot dodge a lockout by forging it.
    """
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: 429, in the admin's look, saying when to try again."""
    from django.contrib import admin
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {**admin.site.each_context(request), "title": "Too many failed sign-ins", "minutes": minutes}
    return render(request, "admin/locked_out.html", context, status=429)
