"""SQLite: an FTS5 index (porter stemming, bm25 ranking, snippets) beside the pieces' table.

One row per piece, its rowid the piece's id, in three columns weighted as PostgreSQL's vector
is: title (A), summary and authors (B), body (C). Migration 0012 creates it, with a trigger
that drops a deleted piece's row.
"""

from django.db import connection
from django.db.models import F, FloatField, Func, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .query import fts_expression

INDEX = "publications_searchindex"
# ts_rank's default weights for A, B, C (1.0, 0.4, 0.2), as bm25's column weights.
WEIGHTS = "1.0, 0.4, 0.2"


def index(documents):
    """Write the index rows of these pieces (replacing any they had), in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT OR REPLACE INTO {INDEX} (rowid, title, summary, body) VALUES "
            + ", ".join(["(%s, %s, %s, %s)"] * len(documents)),
            [value for doc in documents for value in (doc.pk, doc.title, doc.summary, doc.body)],
        )


def _ids(expression):
    return RawSQL(f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s", [expression])


def matching(queryset, text):
    found, only_excluding = fts_expression(text)
    condition = Q(pk__in=_ids(found)) if found else None
    for unwanted in only_excluding:
        leaves_out = ~Q(pk__in=_ids(unwanted))
        condition = leaves_out if condition is None else condition | leaves_out
    return queryset.filter(condition) if condition is not None else queryset.none()


class IndexValue(Func):
    """A value the index computes for the row's piece and a match (bm25, snippet)."""

    def __init__(self, select, expression, output_field, params=()):
        self.select, self.params = select, tuple(params)
        super().__init__(Value(expression), F("pk"), output_field=output_field)

    def as_sql(self, compiler, connection, **extra_context):
        match, pk = self.get_source_expressions()
        match_sql, match_params = compiler.compile(match)
        pk_sql, pk_params = compiler.compile(pk)
        where = f"{INDEX} MATCH {match_sql} AND {INDEX}.rowid = {pk_sql}"
        return f"(SELECT {self.select} FROM {INDEX} WHERE {where})", (*self.params, *match_params, *pk_params)


def ranked(queryset, text):
    """Annotate ``rank`` (higher is better): bm25 with the vector's weights; 0 when nothing but
    an exclusion matched."""
    found, _only_excluding = fts_expression(text)
    if not found:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    score = IndexValue(f"-bm25({INDEX}, {WEIGHTS})", found, FloatField())
    return queryset.annotate(rank=Coalesce(score, Value(0.0), output_field=FloatField()))


def with_snippets(queryset, text, start, stop):
    """Annotate ``headline``: the body's best passage, the query's words between start and stop."""
    found, _only_excluding = fts_expression(text)
    if not found:
        return queryset
    select = f"snippet({INDEX}, 2, %s, %s, %s, 40)"
    return queryset.annotate(headline=IndexValue(select, found, TextField(), params=(start, stop, " … ")))
