"""Full-text search: PostgreSQL ranking and highlighting in production, a plain fallback elsewhere.

On PostgreSQL each piece stores a weighted ``search_vector`` (title A; summary and author names
B; body C), kept in sync on every save of the piece or its authors and indexed with GIN. Queries
use ``websearch_to_tsquery`` syntax: "quoted phrases", -exclusions, OR.
"""

import html
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from .sanitize import html_to_text

CONFIG = "english"
MARK_START, MARK_END = "\x02", "\x03"  # never in stored text: control characters are stripped
TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')


def is_postgres():
    return connection.vendor == "postgresql"


def has_terms(text):
    """Return whether the query has any word to look for (not only punctuation)."""
    return bool(re.search(r"\w", text or ""))


# Keeping the index in sync.


def update_vectors(queryset):
    """Recompute the search vectors of every piece in ``queryset`` in one UPDATE (PostgreSQL only).

    The one place the vector is written: after a save of one piece and after a bulk load alike.
    """
    if not is_postgres():
        return
    authorship = queryset.model._meta.get_field("authorships").related_model  # historical models too
    authors = (
        authorship.objects.filter(publication=OuterRef("pk"))
        .order_by()
        .values("publication")
        .annotate(names=StringAgg("person__name", Value(" "), order_by=("position", "pk")))
        .values("names")
    )
    return queryset.update(
        search_vector=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector(
            Concat(
                "summary",
                Value(" "),
                Coalesce(Subquery(authors), Value(""), output_field=TextField()),
                output_field=TextField(),
            ),
            weight="B",
            config=CONFIG,
        )
        + SearchVector(body_text(), weight="C", config=CONFIG)
    )


def body_text():
    """Return the body as plain text, in SQL: tags become spaces."""
    return Func(
        F("body"),
        Value("<[^>]+>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


# Querying.


def _terms(text):
    """Split a websearch-style query into (phrase, excluded) pairs for the fallback."""
    for match in TERM.finditer(text):
        excluded = bool(match.group(1) or match.group(3))
        phrase = (match.group(2) or match.group(4) or "").strip().strip(".,;:!?()[]'")
        if phrase and phrase.upper() != "OR" and has_terms(phrase):
            yield phrase, excluded


def _fallback_condition(phrase):
    return (
        Q(title__icontains=phrase)
        | Q(summary__icontains=phrase)
        | Q(body__icontains=phrase)
        | Q(authorships__person__name__icontains=phrase)
    )


def matching(queryset, text):
    """Return the pieces of ``queryset`` that match the query."""
    if not has_terms(text):
        return queryset.none()
    if is_postgres():
        return queryset.filter(search_vector=SearchQuery(text, search_type="websearch", config=CONFIG))
    for phrase, excluded in _terms(text):
        ids = queryset.model.objects.filter(_fallback_condition(phrase)).values("pk")
        queryset = queryset.exclude(pk__in=ids) if excluded else queryset.filter(pk__in=ids)
    return queryset


def ranked(queryset, text):
    """Order matches best first: full-text rank on PostgreSQL, title > summary > rest elsewhere."""
    if is_postgres():
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        return queryset.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
            "-rank", "-publish_at", "-pk"
        )
    phrases = [phrase for phrase, excluded in _terms(text) if not excluded]
    score = Value(0, output_field=IntegerField())
    for phrase in phrases:
        score = (
            score
            + Case(When(title__icontains=phrase, then=Value(4)), default=Value(0))
            + Case(When(summary__icontains=phrase, then=Value(2)), default=Value(0))
        )
    return queryset.annotate(rank=score).order_by("-rank", "-publish_at", "-pk")


def with_snippets(queryset, text):
    """Annotate each match with a headline of its body, query words marked (PostgreSQL)."""
    if not is_postgres() or not has_terms(text):
        return queryset
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    return queryset.annotate(
        headline=SearchHeadline(
            body_text(),
            query,
            config=CONFIG,
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=40,
            min_words=20,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


def snippet(publication, text):
    """Return safe HTML: a passage of the piece with the query's words in <mark>."""
    raw = getattr(publication, "headline", None)
    if raw is None:
        raw = _fallback_headline(
            html_to_text(publication.body), [p for p, excluded in _terms(text) if not excluded]
        )
    escaped = html.escape(html.unescape(raw))
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _fallback_headline(body, phrases):
    """Return a passage around the first match, cut at word boundaries, matches marked."""
    words = body.split()
    if not phrases:
        return " ".join(words[:40])
    pattern = re.compile("|".join(re.escape(p) for p in phrases), re.IGNORECASE)
    first = next((i for i, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first - 12)
    passage = " ".join(words[start : start + 45])
    marked = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", passage)
    return ("… " if start else "") + marked + (" …" if start + 45 < len(words) else "")
