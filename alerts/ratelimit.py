"""How many subscription requests an address and a client may make in an hour.

Each request for an address sends a mail to it, so without a limit the form is a way to flood
someone's inbox; a client (an IP address) that asks for many addresses is a script. Counts live in
Django's cache (Redis when several app servers share it), in windows of one clock hour. An address
is counted under a hash of it: no address is written into the cache's keys.

Every request is counted, whatever the state of the address, so the limit says nothing about
whether an address is subscribed.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def current_window():
    """The clock hour requests are counted in."""
    return int(time.time() // WINDOW_SECONDS)


def _key(kind, value):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"alerts:rate:{kind}:{digest}:{current_window()}"


def _spend(key):
    """Count one more request under ``key`` and return the count."""
    cache.add(key, 0, WINDOW_SECONDS + 60)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 60)
        return 1


def allow(*, address, client):
    """Count a request for ``address`` from ``client`` and return whether it is within the limits.

    Both counts are taken before either is checked, so a client over its limit still counts
    against the address it asked for.
    """
    for_address = _spend(_key("address", address.lower()))
    for_client = _spend(_key("client", client or "unknown"))
    return for_address <= settings.ALERTS_RATE_PER_ADDRESS and for_client <= settings.ALERTS_RATE_PER_CLIENT
