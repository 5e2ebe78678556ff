"""What a public page shows, named by keys, and the purge of exactly the pages a change affects.

A page is tagged with a key for every row it read (``piece-12``, ``person-3``, ``topic-5``: each
model that appears on pages mixes in :class:`ShownOnPages`), and with the lists it enumerates
(``list``, ``list-topic-5``: its view says so with :func:`show`). The keys go out in the ``xkey``
header (what Varnish, Fastly's ``Surrogate-Key`` and Cloudflare's ``Cache-Tag`` purge by) and
with the app's own cached copy.

A change purges keys (:func:`purge`): at the commit, the app's cache marks each key purged at that
time (a copy rendered before it is stale) and the edge is told (core/edge.py). What each model's
change purges is declared by its app (``registry.pages_show``).
"""

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction

from . import registry

logger = logging.getLogger(__name__)

ALL = "all"  # on every page: purging it empties the whole cache (the old site-wide scheme)
PURGED = "core:purged:"
SCHEDULE_KEY = "core:schedule"
RETRY_SECONDS = 5
# More keys of one kind than this on a page (a sitemap: 5,000 pieces) are named by the kind alone
# (``piece``), which every change of that kind purges: the header stays small.
MAX_KEYS_OF_A_KIND = 100

_shown = ContextVar("pages_shown", default=None)


class ShownOnPages:
    """A model whose rows appear on public pages: a page that reads one is tagged with its key."""

    page_key = ""  # the kind: "piece", "person"...

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        shown = _shown.get()
        if shown is not None:
            shown.add(f"{cls.page_key}-{instance.pk}")
        return instance

    def page_keys(self):
        """The keys a change of this row purges: its own, and its kind's (pages listing many)."""
        return {f"{self.page_key}-{self.pk}", self.page_key}


def show(*keys):
    """Tag the page being rendered with ``keys`` (the lists it enumerates)."""
    shown = _shown.get()
    if shown is not None:
        shown.update(keys)


def start_recording():
    return _shown.set(set())


def stop_recording(token):
    """Return the keys the page showed, as the header names them, and stop recording."""
    shown = _shown.get()
    _shown.reset(token)
    kinds = {}
    for key in shown:
        kinds.setdefault(key.rsplit("-", 1)[0] if key[-1].isdigit() else key, []).append(key)
    keys = {ALL}
    for kind, named in kinds.items():
        keys.update([kind] if len(named) > MAX_KEYS_OF_A_KIND and kind != "list" else named)
    return sorted(keys)


def purged_since(keys, rendered_at):
    """Whether any of ``keys`` was purged after (or about when) a copy was rendered at that time."""
    stamps = cache.get_many([PURGED + key for key in keys])
    # A copy whose rendering began this close to a purge is treated as stale: another app server's
    # clock may be ahead by that much (settings.PAGE_CACHE_CLOCK_SKEW).
    return any(stamp >= rendered_at - settings.PAGE_CACHE_CLOCK_SKEW for stamp in stamps.values())


def last_purge(key):
    """When ``key`` (or everything) was last purged, 0 if not lately: a version for derived caches."""
    stamps = cache.get_many([PURGED + key, PURGED + ALL])
    return max(stamps.values(), default=0)


def _mark_purged(keys, now):
    # Kept as long as anything cached by it is: a copy older than that has expired by itself.
    timeout = max(settings.PAGE_CACHE_SECONDS, settings.FACET_CACHE_SECONDS) + 60
    cache.set_many({PURGED + key: now for key in keys}, timeout)


def purge_now(keys):
    """Purge ``keys`` in the app's cache and at the edge, now (not waiting for a commit)."""
    from . import edge

    keys = {ALL} if settings.PAGE_CACHE_INVALIDATION == "site" else set(keys)
    if not keys:
        return
    _mark_purged(keys, time.time())
    edge.purge(sorted(keys))
    if cache.get(SCHEDULE_KEY) is None:
        purge_due()  # start following the schedule (a write is the moment to pay its query)


def purge(keys):
    """Purge ``keys`` once the current transaction commits (all of a transaction's keys at once)."""
    keys = set(keys)
    if not keys:
        return
    connection = transaction.get_connection()
    if not waits_for_commit(connection):
        purge_now(keys)
        return
    pending = getattr(connection, "pages_to_purge", None)
    if pending is None or not any(func is _flush for _sids, func, _robust in connection.run_on_commit):
        pending = connection.pages_to_purge = set()
        transaction.on_commit(_flush)
    pending.update(keys)


def waits_for_commit(connection):
    """Whether a purge waits for the transaction to commit (settings.PAGE_PURGE_ON_COMMIT)."""
    return connection.in_atomic_block and settings.PAGE_PURGE_ON_COMMIT


def _flush():
    connection = transaction.get_connection()
    keys, connection.pages_to_purge = connection.pages_to_purge, set()
    purge_now(keys)


def purge_everything():
    """Purge every cached page (after a change made without signals: a bulk load, a deploy)."""
    purge_now({ALL})


def _schedule_state():
    """Return (when the next scheduled piece goes public or None, time checked up to)."""
    upcoming = [when for when in (next_change() for next_change in registry.site.schedules) if when]
    return (min(upcoming).timestamp() if upcoming else None, time.time())


def purge_due():
    """Purge what scheduled pieces whose time has come show; cheap when none has (one cache get).

    Called on each public request and by a task at each scheduled time: whichever comes first
    purges, the other finds nothing new.
    """
    state = cache.get(SCHEDULE_KEY)
    if state is not None and (state[0] is None or time.time() < state[0]):
        return
    try:
        checked_until = state[1] if state else None
        new_state = _schedule_state()
        if checked_until is not None:
            keys = set()
            for went_public in registry.site.went_public:
                keys |= went_public(checked_until - 1, new_state[1])
            purge_now(keys)
        cache.set(SCHEDULE_KEY, new_state, None)
    except DatabaseError:
        # The database is away (a restart, a failover): serve what is cached, look again shortly.
        logger.warning("Scheduled pieces could not be checked; retrying in %s s", RETRY_SECONDS)
        if state is not None:
            cache.set(SCHEDULE_KEY, (time.time() + RETRY_SECONDS, state[1]), None)


def schedule_changed():
    """A piece's scheduled time was set or moved: look at the schedule again on the next request."""
    state = cache.get(SCHEDULE_KEY)
    if state is not None:
        cache.set(SCHEDULE_KEY, (time.time(), state[1]), None)
