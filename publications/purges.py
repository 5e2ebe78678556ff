"""What a change in the archive purges from the page caches: exactly the pages that show it.

A piece's pages are tagged ``piece-<id>`` wherever it appears (its page, the cards and entries
that list it); lists are tagged by what they enumerate (``list`` for the listings with their
facets, ``list-topic-<id>`` for a topic's page and feeds, and so on). So:

- a change to a public piece that leaves its place alone (a typo) purges ``piece-<id>``, the
  sitemap (``piece``) and the searches (``search``): nothing else;
- a change of place (it goes public or private, is rescheduled or deleted, changes type, topics,
  regions, tags, authors or featuring) also purges every list it leaves or joins;
- a draft's changes purge nothing: no public page shows it.

The state before is read the first time a transaction touches a piece (before its first write),
the state after once it commits: the write path's bulk writes of bylines and terms, which send no
signals, are seen too.
"""

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.tasks import default_task_backend, task

from core import purge as pages

from .models import Authorship, Publication, TaggedRegion, TaggedTag, TaggedTopic

TERMS = {"topic": TaggedTopic, "region": TaggedRegion, "tag": TaggedTag}
PLACE = ("public", "publish_at", "type", "is_featured", "topic", "region", "tag", "person")


def state_of(pk):
    """What decides where a piece appears, or None when it is gone: one query, two when public."""
    row = Publication.objects.filter(pk=pk).values("status", "publish_at", "type_id", "is_featured").first()
    if row is None:
        return None
    piece = Publication(status=row["status"], publish_at=row["publish_at"])
    state = {
        "public": piece.is_public,
        "scheduled": row["status"] == Publication.Status.PUBLISHED and not piece.is_public,
        "publish_at": row["publish_at"],
        "type": {row["type_id"]},
        "is_featured": row["is_featured"],
        **{kind: set() for kind in (*TERMS, "person")},
    }
    if piece.is_public:  # what it appears under matters only where it appears
        for kind, related in related_ids(pk):
            state[kind].add(related)
    return state


def related_ids(pk):
    """(kind, id) of the piece's authors, topics, regions and tags, in one query."""
    parts = [(Authorship, "person", "publication_id", "person_id")]
    parts += [(through, kind, "content_object_id", "tag_id") for kind, through in TERMS.items()]
    sql = " UNION ALL ".join(
        f"SELECT '{kind}', {column} FROM {model._meta.db_table} WHERE {piece} = %s"
        for model, kind, piece, column in parts
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk] * len(parts))
        return cursor.fetchall()


def lists_of(state, kinds=("type", "topic", "region", "tag", "person")):
    keys = {"list", "search", "person"}  # the listings, searches, the experts (who has published)
    for kind in kinds:
        keys |= {f"list-{kind}-{pk}" for pk in state[kind]}
    return keys


def keys_for_change(pk, before, after):
    """The keys a piece's change from ``before`` to ``after`` (None: absent) purges."""
    was_public = bool(before and before["public"])
    is_public = bool(after and after["public"])
    if not (was_public or is_public):
        return set()
    keys = {f"piece-{pk}", "piece", "search"}
    if was_public != is_public or not (before and after):
        return keys | lists_of(before or after) | lists_of(after or before)
    moved = [name for name in PLACE if before[name] != after[name]]
    if moved:
        keys.add("list")
        keys.add("person")
        if {"public", "publish_at", "is_featured"} & set(moved):
            keys |= lists_of(before) | lists_of(after)
        for kind in {"type", "topic", "region", "tag", "person"} & set(moved):
            keys |= {f"list-{kind}-{pk}" for pk in before[kind] ^ after[kind]}
            if kind == "person":
                keys |= {f"person-{pk}" for pk in before[kind] ^ after[kind]}
    return keys


def _touched():
    """This transaction's touched pieces ({id: state before}); the commit purges what they show."""
    connection = transaction.get_connection()
    touched = getattr(connection, "pieces_touched", None)
    if touched is None or not any(func is flush for _sids, func, _robust in connection.run_on_commit):
        # None yet, or left by a transaction that rolled back (its callback went with it).
        touched = connection.pieces_touched = {}
        if pages.waits_for_commit(connection):
            transaction.on_commit(flush)
    return touched


def touch(pk, before=False):
    """Note a piece's state before this transaction's first write to it (``before``: known)."""
    if pk is None:
        return
    touched = _touched()
    if pk not in touched:
        touched[pk] = state_of(pk) if before is False else before


def flush():
    connection = transaction.get_connection()
    touched, connection.pieces_touched = getattr(connection, "pieces_touched", None) or {}, {}
    keys = set()
    for pk, before in touched.items():
        after = state_of(pk)
        keys |= keys_for_change(pk, before, after)
        if after and after["scheduled"] and (before is None or before["publish_at"] != after["publish_at"]):
            pages.schedule_changed()  # the next request looks again; a task also does, at the time
            if default_task_backend.supports_defer:
                purge_when_due.using(run_after=after["publish_at"]).enqueue()
    pages.purge_now(keys)


@task
def purge_when_due():
    """At a scheduled piece's time: purge what it now appears on (if a request has not already)."""
    pages.purge_due()


def went_public(since, until):
    """The keys to purge for the pieces whose publish time fell between two times (epoch seconds)."""
    import datetime

    since, until = (datetime.datetime.fromtimestamp(t, tz=datetime.UTC) for t in (since, until))
    pieces = Publication.objects.filter(
        status=Publication.Status.PUBLISHED, publish_at__gt=since, publish_at__lte=until
    ).values_list("pk", flat=True)
    keys = set()
    for pk in pieces:
        after = state_of(pk)
        keys |= keys_for_change(pk, {**after, "public": False}, after)
    return keys


def _before_write(sender, instance, **kwargs):
    touch(instance.pk if sender is Publication else _piece_of(instance))


def _after_write(sender, instance, created=False, **kwargs):
    if created and sender is Publication:
        touch(instance.pk, before=None)  # a new piece: it appeared nowhere before
    if not pages.waits_for_commit(transaction.get_connection()):
        flush()


def _piece_of(row):
    return row.content_object_id if hasattr(row, "content_object_id") else row.publication_id


def connect():
    for model in (Publication, Authorship, *TERMS.values()):
        uid = f"purges-{model._meta.label}"
        pre_save.connect(_before_write, sender=model, dispatch_uid=f"{uid}-pre-save")
        pre_delete.connect(_before_write, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_save.connect(_after_write, sender=model, dispatch_uid=f"{uid}-post-save")
        post_delete.connect(_after_write, sender=model, dispatch_uid=f"{uid}-post-delete")


def slug_redirect_keys(row, change):
    """An old address answers with its piece's redirect: it changes with the piece's key."""
    return {f"piece-{row.publication_id}"}


def term_keys(row, change):
    """A type, topic, region or tag: the pages naming it; a new or deleted one changes the facets."""
    return row.page_keys() | ({"list"} if change != "changed" else set())
