"""Full-text search, the same on both databases: PostgreSQL's in production, FTS5 on SQLite.

Each piece is indexed in three weighted parts: title (A), summary and author names (B), body
(C). On PostgreSQL a ``search_vector`` column with a GIN index; on SQLite an FTS5 table with
porter stemming and bm25 ranking (migration 0012). Both read a query alike, in the syntax of
``websearch_to_tsquery`` (query.py): "quoted phrases", -exclusions, OR.

``update_vectors`` keeps both indexes and the word list for "Did you mean ...?" (words.py) in
sync. The services call it after every save and workflow step, the importer after a load (the
demo loader goes through it), the bench seeder after its rows; ``forget_deleted`` follows a
deleted piece (its index row goes with it on both databases; its words are taken back).
"""

import html

from django.apps import apps as global_apps
from django.db import connection

from . import postgres, sqlite, suggest, words
from .documents import documents
from .query import has_terms, terms

MARK_START, MARK_END = "\x02", "\x03"  # never in stored text: control characters are stripped

__all__ = [
    "forget_deleted",
    "has_terms",
    "matching",
    "ranked",
    "snippet",
    "suggestion",
    "update_vectors",
    "with_snippets",
]


def is_postgres():
    return connection.vendor == "postgresql"


# Keeping the index in sync.


def update_vectors(queryset):
    """Reindex every piece in ``queryset``: its vector or FTS5 row, and its words' counts.

    The one place the index is written: after a save of one piece and after a bulk load alike.
    Return how many pieces were reindexed.
    """
    apps = queryset.model._meta.apps  # the historical ones in a migration
    updated = postgres.update_vectors(queryset) if is_postgres() else 0
    if "searchword" not in apps.all_models["publications"]:
        return updated  # a migration before 0012, which makes the rest and fills it
    for chunk in documents(queryset):
        if not is_postgres():
            sqlite.index(chunk)
            updated += len(chunk)
        words.count(chunk, apps)
    return updated


def forget_deleted(sender, instance, **kwargs):
    """Take a deleted piece's words out of the suggestions (a post_delete receiver)."""
    words.forget([instance.pk], sender._meta.apps)


# Querying.


def matching(queryset, text):
    """Return the pieces of ``queryset`` that match the query."""
    if not has_terms(text):
        return queryset.none()
    return (postgres if is_postgres() else sqlite).matching(queryset, text)


def ranked(queryset, text):
    """Order matches best first by full-text rank, the newest first among equals."""
    if not has_terms(text):
        return queryset
    scored = (postgres if is_postgres() else sqlite).ranked(queryset, text)
    return scored.order_by("-rank", "-publish_at", "-pk")


def with_snippets(queryset, text):
    """Annotate each match with a headline of its body, the query's words marked."""
    if not has_terms(text):
        return queryset
    return (postgres if is_postgres() else sqlite).with_snippets(queryset, text, MARK_START, MARK_END)


def snippet(publication, text):
    """Return safe HTML: a passage of the piece with the query's words in <mark>."""
    raw = getattr(publication, "headline", None)
    if raw is None:  # a piece found only by what it leaves out
        from ..sanitize import html_to_text

        raw = " ".join(html_to_text(publication.body).split()[:40])
    escaped = html.escape(html.unescape(raw))
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def suggestion(text, found, count):
    """Return a "Did you mean" Suggestion for a query that found ``found`` pieces, or None.

    ``count(query)`` returns how many public pieces a corrected query finds (see suggest.py).
    """
    if not has_terms(text):
        return None
    return suggest.suggestion(text, found, global_apps, count)


def query_words(text):
    """Return the words and phrases the query looks for, excluded ones left out."""
    return [term.text for term in terms(text) if not term.excluded]
