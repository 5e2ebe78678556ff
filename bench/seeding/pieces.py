"""The pieces, with their authors (bio lines by Person.bio_line_on) and terms, copied in chunks."""

import bisect
import datetime

from django.db import connection
from django.utils import timezone

from people.models import Person
from publications.models import Authorship, Publication, TaggedRegion, TaggedTag, TaggedTopic

from .draw import (
    ARCHIVE_START,
    body_html,
    cumulative,
    future_time,
    pick_distinct,
    publish_times,
    summary_text,
    title_text,
    zipf_weights,
)
from .progress import Progress
from .rows import copy_rows, reserve_ids, unique_slug
from .vocabulary import OUTLETS, PUBLICATION_TYPES

STATUS = Publication.Status
DATED = (STATUS.PUBLISHED, STATUS.ARCHIVED)  # drafts and pieces in review have no publish time yet
CHUNK = 2_000  # pieces generated and copied at a time
AUTHOR_COUNT_CUM = cumulative([0.55, 0.28, 0.12])  # 1, 2, 3 or (the rest) 4 authors
# Every other field (language, is_sample, the files...) gets the model's default.
PIECE_COLUMNS = (
    *("id", "title", "slug", "type_id", "summary", "body", "status", "publish_at", "created_at"),
    *("updated_at", "edit_count", "is_featured", "outlet_name", "outlet_date"),
)
LINKS = (
    (Authorship, ("publication_id", "person_id", "position", "bio_line")),
    (TaggedTopic, ("content_object_id", "tag_id")),
    (TaggedRegion, ("content_object_id", "tag_id")),
    (TaggedTag, ("content_object_id", "tag_id")),
)


def piece_status(rng):
    """Return (status, scheduled): 97% published (0.4% of them scheduled), a few of the rest each."""
    roll = rng.random()
    if roll < 0.97:
        return STATUS.PUBLISHED, False
    if roll < 0.982:
        return STATUS.DRAFT, False
    if roll < 0.988:
        return STATUS.IN_REVIEW, False
    if roll < 0.996:
        return STATUS.ARCHIVED, False
    return STATUS.PUBLISHED, True  # scheduled: published with a future publish time


class Archive:
    """What every piece draws on: people with their appointments, terms, types."""

    def __init__(self, rng, people, types, topics, regions, tags):
        self.rng = rng
        self.person_ids = people
        self.author_cum = cumulative(zipf_weights(len(people), shift=2.0))
        self.people = Person.objects.with_appointments().in_bulk()
        self.types = [(slug, types[slug].pk) for slug, _name, _weight in PUBLICATION_TYPES]
        self.type_cum = cumulative(weight for _slug, _name, weight in PUBLICATION_TYPES)
        self.terms = [(ids, cumulative(zipf_weights(len(ids), shift=5.0))) for ids in (topics, regions, tags)]

    def bio_line(self, person_id, day):
        return self.people[person_id].bio_line_on(day)

    def piece_type(self):
        return self.types[bisect.bisect(self.type_cum, self.rng.random() * self.type_cum[-1])]

    def authors(self):
        count = 1 + bisect.bisect(AUTHOR_COUNT_CUM, self.rng.random())
        return pick_distinct(self.rng, self.person_ids, self.author_cum, count)

    def terms_for_piece(self):
        """Return (topic ids, region ids, tag ids): 3-12 terms in all, at least one of each kind."""
        total = self.rng.randint(3, 12)
        counts = (max(1, total * 2 // 5), max(1, total // 4))
        counts += (total - sum(counts),)
        return [
            pick_distinct(self.rng, ids, cum, n) for (ids, cum), n in zip(self.terms, counts, strict=True)
        ]


class Pieces:
    """Writes ``count`` new pieces: their statuses and past publish times are drawn up front."""

    def __init__(self, rng, archive, count):
        self.rng, self.archive, self.now = rng, archive, timezone.now()
        self.taken_slugs = set(Publication.objects.values_list("slug", flat=True))
        taken_seconds = {
            int((t - ARCHIVE_START).total_seconds())
            for t in Publication.objects.filter(publish_at__isnull=False).values_list("publish_at", flat=True)
        }
        self.statuses = [piece_status(rng) for _ in range(count)]
        dated = sum(1 for status, scheduled in self.statuses if status in DATED and not scheduled)
        self.past = iter(publish_times(rng, dated, self.now, taken_seconds))
        self.future = set()
        self.totals = {"authorships": 0, "term links": 0}

    def publish_time(self, status, scheduled):
        if scheduled:
            return future_time(self.rng, self.now, self.future)
        return next(self.past) if status in DATED else None

    def row(self, piece_id, status, scheduled):
        """Return the piece's row (PIECE_COLUMNS)."""
        rng = self.rng
        type_slug, type_id = self.archive.piece_type()
        title = title_text(rng, type_slug)
        publish_at = self.publish_time(status, scheduled)
        created_at = (publish_at or self.now) - datetime.timedelta(seconds=rng.randint(3600, 30 * 86400))
        created_at = min(created_at, self.now - datetime.timedelta(seconds=60))
        outlet = type_slug == "articles-op-eds" and publish_at is not None and rng.random() < 0.6
        summary, body = summary_text(rng), body_html(rng)
        featured = status == STATUS.PUBLISHED and not scheduled and rng.random() < 0.001
        return (
            *(piece_id, title, unique_slug(title, self.taken_slugs, 200), type_id, summary, body),
            *(status, publish_at, created_at, created_at, 1),  # one save: updated when created
            featured,
            rng.choice(OUTLETS) if outlet else "",
            timezone.localdate(publish_at) if outlet else None,
        )

    def links(self, piece_id, status, publish_at, links):
        """Add the piece's authorships and term links to ``links`` (one list per LINKS model)."""
        # The bio line is drafted on publishing: archived pieces were published once too.
        day = timezone.localdate(publish_at) if status in DATED else None
        for position, person_id in enumerate(self.archive.authors()):
            bio = self.archive.bio_line(person_id, day) if day else ""
            links[0].append((piece_id, person_id, position, bio))
        for target, ids in zip(links[1:], self.archive.terms_for_piece(), strict=True):
            target.extend((piece_id, tag_id) for tag_id in ids)

    def write_chunk(self, cursor, offset, size):
        rows, links = [], [[] for _ in LINKS]
        ids = reserve_ids(cursor, Publication, size)
        for piece_id, (status, scheduled) in zip(ids, self.statuses[offset : offset + size], strict=True):
            row = self.row(piece_id, status, scheduled)
            rows.append(row)
            self.links(piece_id, status, row[PIECE_COLUMNS.index("publish_at")], links)
        copy_rows(cursor, Publication, PIECE_COLUMNS, rows)
        for (model, columns), link_rows in zip(LINKS, links, strict=True):
            copy_rows(cursor, model, columns, link_rows)
        self.totals["authorships"] += len(links[0])
        self.totals["term links"] += sum(len(rows) for rows in links[1:])

    def write(self):
        count = len(self.statuses)
        progress = Progress("pieces", count)
        with connection.cursor() as cursor:
            for offset in range(0, count, CHUNK):
                size = min(CHUNK, count - offset)
                self.write_chunk(cursor, offset, size)
                progress.update(size)
        progress.close()
        return count


def seed_pieces(rng, archive, count, notes):
    if count <= 0:
        return
    pieces = Pieces(rng, archive, count)
    pieces.write()
    authorships, links = pieces.totals["authorships"], pieces.totals["term links"]
    notes.append(f"{count:,} pieces, {authorships:,} authorships, {links:,} term links")
