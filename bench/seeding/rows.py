"""Rows in bulk: COPY into a model's table (every field not given gets the model's default), ids
taken from the table's sequence, unique slugs made with the model's own slug function."""

import csv
import io

from django.db.models import NOT_PROVIDED
from django.utils.text import slugify


def defaulted_fields(model, columns):
    """Return the concrete fields not in ``columns`` that take the model's Python default.

    Fields with a database default and an unlisted auto primary key are left to the database.
    """
    return [
        field
        for field in model._meta.concrete_fields
        if field.attname not in columns
        and field.db_default is NOT_PROVIDED
        and not (field.primary_key and field.get_internal_type().endswith("AutoField"))
    ]


def copy_rows(cursor, model, columns, rows):
    """COPY ``rows`` (tuples of the ``columns`` attnames) into ``model``'s table.

    Every other field gets the model's default (a field added to the model later gets its
    default too). Rows go as CSV: every value quoted but None, which is NULL.
    """
    rest = defaulted_fields(model, columns)
    names = [model._meta.get_field(attname).column for attname in columns] + [f.column for f in rest]
    defaults = tuple(field.get_default() for field in rest)
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(
        row + defaults for row in rows
    )
    buffer.seek(0)
    sql = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv)"
    if hasattr(cursor, "copy_expert"):  # psycopg2
        cursor.copy_expert(sql, buffer)
    else:  # psycopg 3
        with cursor.copy(sql) as copy:
            copy.write(buffer.getvalue())


def reserve_ids(cursor, model, count):
    """Take ``count`` ids from the table's sequence, so rows can be copied with their ids."""
    if not count:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def unique_slug(text, taken, max_length=200, make_slug=slugify):
    """Return ``make_slug(text)``, cut to ``max_length``, with -2, -3... until not in ``taken``.

    ``make_slug`` is what the model makes slugs with: Django's slugify (the admin's prepopulated
    slugs) or a tag model's own ``slugify``.
    """
    base = make_slug(text)[:max_length].strip("-") or "item"
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base[: max_length - 8]}-{suffix}", suffix + 1
    taken.add(slug)
    return slug
