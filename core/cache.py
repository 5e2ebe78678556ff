"""Full-page caching of public pages and feeds that is always right, here and at the edge.

An anonymous reader's GET of a public page is rendered once and kept: in the app's own cache
(Redis, shared by every app server) and at the edge (Varnish or a CDN), which the response tells
how long it may keep it (``Cache-Control``) and what it shows (the ``xkey`` header, core/purge.py).
A change purges exactly the keys it affects in both; a scheduled piece's time purges what it
appears on. Nothing personal is ever kept: staff sessions, forms with a CSRF cookie, pages with a
CSP nonce, anything setting a cookie.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpResponsePermanentRedirect, QueryDict
from django.middleware.csp import get_nonce
from django.utils.cache import get_cache_key, learn_cache_key, patch_cache_control, set_response_etag
from django.utils.http import urlencode

from . import purge, registry

KEY_PREFIX = "page"


def canonical_query(request):
    """The query string without parameters no public page reads and without repeated pairs.

    A page then cannot echo what was appended, and appending tracking tags, cache busters or
    repeats makes no new cache entry: the app drops them, and the edge is sent to the canonical
    address. Kept ones stay in their order (a feed's self link is the address it was fetched at).
    """
    known = registry.site.public_params
    kept = []
    for name, values in request.GET.lists():
        if name in known:
            kept += [(name, value) for value in dict.fromkeys(values) if (name, value) not in kept]
    return urlencode(kept)


def keep_public_params(request):
    """Rewrite the request to its canonical query; return whether that changed it."""
    query = canonical_query(request)
    if query == urlencode(_pairs(request.GET)):
        return False
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)
    return True


def _pairs(query):
    return [(name, value) for name, values in query.lists() for value in values]


def has_staff_session(request):
    """Whether the request carries a signed-in session (staff, previews), not just a cookie.

    A junk or expired ``sessionid`` loads as an empty session: such a request is a reader's and
    is served from the cache like any other. A real one costs one session lookup.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return SESSION_KEY in request.session


def edge_headers(response, keys):
    """Let shared caches keep the page long (purged when it changes) and browsers briefly."""
    for name in settings.EDGE_KEY_HEADERS:
        response[name] = ("," if name.lower() == "cache-tag" else " ").join(keys)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.EDGE_BROWSER_SECONDS,
        s_maxage=settings.EDGE_CACHE_SECONDS,
        stale_while_revalidate=settings.EDGE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.EDGE_STALE_IF_ERROR,
    )


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages and feeds from the cache; tag them for the edge."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def public(request):
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith((f"/{settings.ADMIN_URL}", *settings.PAGE_CACHE_SKIP_PREFIXES))
            and not has_staff_session(request)  # staff and previews: never
        )

    def __call__(self, request):
        if not self.public(request):
            return self.get_response(request)
        if keep_public_params(request):
            query = request.META["QUERY_STRING"]
            return HttpResponsePermanentRedirect(request.path + (f"?{query}" if query else ""))
        use_cache = settings.PAGE_CACHE_SECONDS > 0
        if use_cache:
            purge.purge_due()
            response = self.cached(request)
            if response is not None:
                response["X-Cache"] = "hit"
                return response
        rendered_at = time.time()
        recording = purge.start_recording()
        try:
            response = self.get_response(request)
        finally:
            keys = purge.stop_recording(recording)
        if self.storable(request, response):
            if settings.EDGE_CACHE_SECONDS > 0:
                edge_headers(response, keys)
            if use_cache and request.method == "GET":
                self.store(request, response, keys, rendered_at)
                response["X-Cache"] = "miss"
        return response

    @staticmethod
    def cached(request):
        # Django's own page keys: the absolute address (scheme, host, path, kept query) and the
        # request headers the stored page said it varies on.
        key = get_cache_key(request, KEY_PREFIX, "GET", cache=cache)
        entry = cache.get(key) if key else None
        if entry is None:
            return None
        response, keys, rendered_at = entry
        return None if purge.purged_since(keys, rendered_at) else response

    @staticmethod
    def store(request, response, keys, rendered_at):
        timeout = settings.PAGE_CACHE_SECONDS
        # Feeds are written in thousands of small chunks: store one, so a hit is one unpickle.
        response.content = response.content
        set_response_etag(response)
        key = learn_cache_key(request, response, timeout, KEY_PREFIX, cache=cache)
        cache.set(key, (response, keys, rendered_at), timeout)

    @staticmethod
    def storable(request, response):
        control = response.get("Cache-Control", "")
        return (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in control
            and "no-store" not in control
            and "no-cache" not in control
            # A page using a CSP nonce must not be replayed: its nonce would be known in advance.
            and not get_nonce(request)
        )
