"""What the search indexes of a piece: its text in three weighted parts, read in chunks."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from ..sanitize import html_to_text

ROWS = 2000  # rows per read: a piece and each of its authors is a row
PUBLISHED = "published"  # Publication.Status.PUBLISHED; historical models (migrations) have no enum


@dataclass(frozen=True)
class Document:
    pk: int
    published: bool  # published, now or at its scheduled time: its words may be suggested then
    title: str
    summary: str  # the dek and the authors' names, in byline order (weight B)
    body: str  # plain text (weight C)
    counted: str | None  # the words the piece counts for in the word list now, if any

    def text(self):
        return f"{self.title} {self.summary} {self.body}"


def _rows(queryset):
    """The pieces' rows, one per author (in byline order), with the words they count for."""
    counted = queryset.model._meta.apps.get_model("publications", "SearchPieceWords").objects.filter(
        publication_id=OuterRef("pk")
    )
    return (
        queryset.annotate(counted=Subquery(counted.values("words")[:1]))
        .order_by("pk", "authorships__position", "authorships__pk")
        .values_list("pk", "status", "title", "summary", "body", "counted", "authorships__person__name")
    )


def _document(rows):
    pk, status, title, summary, body, counted, _name = rows[0]
    names = [row[-1] for row in rows if row[-1]]
    return Document(
        pk=pk,
        published=status == PUBLISHED,
        title=title,
        summary=" ".join([summary, *names]),
        body=html_to_text(body),
        counted=counted,
    )


def documents(queryset):
    """Yield lists of Documents for the pieces of ``queryset``: one query per few hundred pieces."""
    rows, after = _rows(queryset), None
    while True:
        chunk = list((rows if after is None else rows.filter(pk__gt=after))[:ROWS])
        full = len(chunk) == ROWS
        by_piece = {}
        for row in chunk:
            by_piece.setdefault(row[0], []).append(row)
        if full and len(by_piece) > 1:
            by_piece.pop(chunk[-1][0])  # its last authors may be in the next read: read it again
        if by_piece:
            yield [_document(piece_rows) for piece_rows in by_piece.values()]
        if not full:
            return
        after = max(by_piece)
