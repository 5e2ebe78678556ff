"""Full-page caching of public pages and feeds that is always right.

Every cached page is stored under the site's current *generation*. Any change to what a public
page can show (a piece, its authors or terms, a person, a fellowship, the taxonomy) starts a new
generation, so every server sharing the cache (Redis) serves the change at once. A scheduled piece
going public is a change too: the generation also ends at the next scheduled publish time, with
no job to run.
"""

import time
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import QueryDict
from django.middleware.csp import get_nonce
from django.utils.cache import get_cache_key, learn_cache_key, set_response_etag
from django.utils.http import urlencode

from . import registry

STATE_KEY = "core:cache-state"
RETRY_SECONDS = 5


def _next_change():
    """When the public pages next change by themselves (a scheduled piece's time), or None."""
    times = [when for when in (next_change() for next_change in registry.site.schedules) if when]
    return min(times) if times else None


def _new_state():
    upcoming = _next_change()
    state = (uuid.uuid4().hex, upcoming.timestamp() if upcoming else None)
    cache.set(STATE_KEY, state, None)
    return state


def current_state():
    """Return (generation, time it ends or None), starting a new one when a scheduled piece is due."""
    state = cache.get(STATE_KEY)
    if state is None or (state[1] is not None and time.time() >= state[1]):
        try:
            state = _new_state()
        except DatabaseError:
            if state is None:
                raise
            # The database is away (a restart, a failover): keep serving the pages cached so far
            # and look again in a few seconds, rather than fail every page that is in the cache.
            state = (state[0], time.time() + RETRY_SECONDS)
            cache.set(STATE_KEY, state, None)
    return state


def invalidate(sender=None, instance=None, **kwargs):
    """End the current generation now, and again when the current transaction commits.

    Now costs no query: the new generation keeps the known end, brought forward if this change
    schedules a piece sooner. At the commit, the next scheduled piece is looked up again, once
    per transaction however many rows it wrote. (A rolled-back savepoint takes its pending call
    with it, so the next change asks again.)
    """
    state = cache.get(STATE_KEY)
    if state is None:
        _new_state()
    else:
        end = state[1]
        if getattr(instance, "is_scheduled", False):
            due = instance.publish_at.timestamp()
            end = due if end is None else min(end, due)
        cache.set(STATE_KEY, (uuid.uuid4().hex, end), None)
    connection = transaction.get_connection()
    if not any(func is _new_state for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_new_state)


def keep_public_params(request):
    """Drop the query parameters no public page reads (tracking tags, cache busters).

    The page then cannot echo them, so its cached copy is the same whatever was appended, and
    appending random ones makes no new cache entries. Kept ones stay in their order (a feed's
    self link is the address it was fetched at).
    """
    known = registry.site.public_params
    kept = [(name, values) for name, values in request.GET.lists() if name in known]
    query = urlencode(kept, doseq=True)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def has_staff_session(request):
    """Whether the request carries a signed-in session (staff, previews), not just a cookie.

    A junk or expired ``sessionid`` loads as an empty session: such a request is a reader's and
    is served from the cache like any other. A real one costs one session lookup.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return SESSION_KEY in request.session


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages and feeds from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def cacheable(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith((f"/{settings.ADMIN_URL}", *settings.PAGE_CACHE_SKIP_PREFIXES))
            and not has_staff_session(request)  # staff and previews: never
        )

    def __call__(self, request):
        if not self.cacheable(request):
            return self.get_response(request)
        keep_public_params(request)
        # Django's own page keys: the absolute address (scheme, host, path, kept query) and the
        # request headers the stored page said it varies on, under the current generation.
        generation = f"page:{current_state()[0]}"
        key = get_cache_key(request, generation, "GET", cache=cache)
        response = cache.get(key) if key else None
        if response is not None:
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.storable(request, response):
            # Kept for the full time even when the generation ends sooner: a new generation makes
            # it unreachable anyway, and while the database is away it is still there to serve.
            timeout = settings.PAGE_CACHE_SECONDS
            # Feeds are written in thousands of small chunks: store one, so a hit is one unpickle.
            response.content = response.content
            set_response_etag(response)
            key = learn_cache_key(request, response, timeout, generation, cache=cache)
            cache.set(key, response, timeout)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def storable(request, response):
        control = response.get("Cache-Control", "")
        return (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in control
            and "no-store" not in control
            # A page using a CSP nonce must not be replayed: its nonce would be known in advance.
            and not get_nonce(request)
        )
