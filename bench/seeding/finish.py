"""After the rows: the search vectors (the app's own UPDATE), fresh statistics, every cached page purged."""

from django.db import connection

from core.purge import purge_everything
from publications import search
from publications.models import Publication


def search_indexes(cursor, table):
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
        [table, "%search_vector%"],
    )
    return cursor.fetchall()


def fill_search_vectors(notes):
    """Fill every missing vector with one UPDATE; rebuild the vector's indexes if most rows change."""
    table = Publication._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE search_vector IS NULL) FROM {table}")
        total, missing = cursor.fetchone()
        indexes = []
        if missing * 2 > total:  # one GIN build is far faster than updating the index row by row
            indexes = search_indexes(cursor, table)
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        filled = search.update_vectors(Publication.objects.filter(search_vector__isnull=True))
        notes.append(f"{filled:,} vectors")
        for _name, definition in indexes:
            cursor.execute(definition)
        if indexes:
            notes.append(f"rebuilt {', '.join(name for name, _ in indexes)}")


def vacuum_analyze():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def end_cached_pages():
    """Bulk inserts send no signals: purge every cached page by hand (shared caches, the edge)."""
    purge_everything()
