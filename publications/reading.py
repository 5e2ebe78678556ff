"""What a reader gets around a piece's body: its reading time, its contents, linked bio lines.

Pure functions over the sanitized body (``sanitize.sanitize_html`` writes every heading as a bare
``<h2>`` or ``<h3>``, with no attribute) and over prefetched rows; no queries, nothing stored. The
heading ids are added as the page is drawn, so the stored body and its sanitizer rules stay as they
are (ids are not allowed in stored text).
"""

import html
import math
import re
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify

WORDS_PER_MINUTE = 230
# Enough headings for a table of contents to be worth its room.
CONTENTS_MIN_HEADINGS = 3
# Ids the piece page itself uses: a heading never takes one of them.
PAGE_IDS = frozenset(
    {"main", "contents", "contents-heading", "share-heading", "more-heading", "related-heading"}
    | {"cite-heading", "cite-downloads", "copy-status"}
)

TAG = re.compile(r"<[^>]*>")
HEADING = re.compile(r"<(h[23])>(.*?)</\1>", re.DOTALL)


def word_count(body):
    """Return the number of words a reader reads in ``body`` (stored HTML)."""
    return len(TAG.sub(" ", body or "").split())


def reading_minutes(body):
    """Return the minutes ``body`` takes to read at 230 words a minute, rounded, at least 1."""
    return max(1, math.floor(word_count(body) / WORDS_PER_MINUTE + 0.5))


@dataclass
class Heading:
    id: str
    text: str
    level: int
    children: list = field(default_factory=list)


@dataclass
class Contents:
    """The body with an id on every h2 and h3, and its headings as a tree (h3s under their h2)."""

    html: str
    headings: list
    entries: list

    @property
    def shown(self):
        return len(self.headings) >= CONTENTS_MIN_HEADINGS


def _unique_id(text, taken):
    base = slugify(text, allow_unicode=True)[:80].strip("-") or "section"
    if base[0].isdigit():
        base = f"section-{base}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def contents(body):
    """Return the ``Contents`` of a sanitized body: ids from the headings' text, unique on the page.

    Not cached: it takes 0.2 ms for a 5,000-word body with 24 headings (the page cache keeps
    the whole page in production).
    """
    taken = set(PAGE_IDS)
    headings = []

    def add_id(match):
        tag, inner = match.groups()
        text = " ".join(html.unescape(TAG.sub("", inner)).split())
        if not text:  # an empty heading (a stray line break) is no section
            return match.group(0)
        heading = Heading(_unique_id(text, taken), text, int(tag[1]))
        headings.append(heading)
        return f'<{tag} id="{escape(heading.id)}">{inner}</{tag}>'

    marked = HEADING.sub(add_id, body or "")
    entries = []
    for heading in headings:
        if heading.level == 3 and entries and entries[-1].level == 2:
            entries[-1].children.append(heading)
        else:
            entries.append(heading)
    return Contents(mark_safe(marked), headings, entries)  # noqa: S308 - sanitized text, ids escaped


def linked_bio_line(line, fellowships):
    """Return ``line`` escaped, with the first fellowship title it names linked to the fellowship.

    ``fellowships`` are the author's (from prefetched appointments); the longest title found wins,
    so "Senior Ira Weiner Fellow" is linked rather than "Ira Weiner Fellow" inside it.
    """
    found = [(f, line.find(f.holder_title)) for f in fellowships if f.holder_title]
    found = [(f, at) for f, at in found if at >= 0]
    if not found:
        return escape(line)
    fellowship, at = max(found, key=lambda pair: (len(pair[0].holder_title), -pair[1]))
    end = at + len(fellowship.holder_title)
    return format_html(
        '{}<a href="{}">{}</a>{}',
        line[:at],
        fellowship.get_absolute_url(),
        line[at:end],
        line[end:],
    )
