"""A piece's content as a *state*: a plain, JSON-safe dict of its editable fields, its ordered
authors with their bio lines, and its topics, regions and tags; how two values compare for an editor.
"""

import datetime
import hashlib
import json
import re

from django.db.models import Value
from django.utils.translation import gettext_lazy

from ..models import Publication, TaggedRegion, TaggedTag, TaggedTopic
from ..sanitize import sanitize_html

# The editable fields of a piece, in form order. Status and publish time are not content: they
# change only through the workflow services (submit, publish, schedule, unpublish, archive).
FIELDS = (
    "title",
    "slug",
    "type",
    "summary",
    "body",
    "outlet_name",
    "outlet_url",
    "outlet_date",
    "pdf",
    "image",
    "image_alt",
    "image_credit",
    "language",
    "is_featured",
    "is_sample",
)
EDITOR_ONLY_FIELDS = ("is_featured",)
TERMS = {"topics": TaggedTopic, "regions": TaggedRegion, "tags": TaggedTag}
KEYS = (*FIELDS, "authors", *TERMS)
LABELS = {
    "type": gettext_lazy("Type"),
    "authors": gettext_lazy("Authors"),
    "topics": gettext_lazy("Topics"),
    "regions": gettext_lazy("Regions"),
    "tags": gettext_lazy("Tags"),
}


def label(key):
    if key in LABELS:
        return LABELS[key]
    return str(Publication._meta.get_field(key).verbose_name).capitalize()


def publication_state(publication):
    """Return the content state of a stored (or unsaved) piece."""
    state = {name: field_value(publication, name) for name in FIELDS}
    if publication.pk:
        state["authors"] = [
            [a.person_id, a.bio_line] for a in publication.authorships.order_by("position", "pk")
        ]
        state.update(term_ids(publication))
    else:
        state.update(authors=[], topics=[], regions=[], tags=[])
    return state


def term_ids(publication):
    """Return {"topics": [...], "regions": [...], "tags": [...]}, sorted ids, in one query."""
    kinds = list(TERMS)
    rows = [
        through.objects.filter(content_object=publication)
        .annotate(kind=Value(index))
        .values_list("kind", "tag_id")
        for index, through in enumerate(TERMS.values())
    ]
    found = {key: [] for key in kinds}
    for kind, tag in rows[0].union(*rows[1:], all=True):
        found[kinds[kind]].append(tag)
    return {key: sorted(ids) for key, ids in found.items()}


def field_value(publication, name):
    if name == "type":
        return publication.type_id
    value = getattr(publication, name)
    if name in ("pdf", "image"):
        return value.name or ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


TAG_GAP = re.compile(r">\s+<")
EMPTY_PARAGRAPH = re.compile(r"<p>(\s|<br\s*/?>)*</p>")


def canonical_body(value):
    """Return the body as stored, with the differences editors cannot see taken out.

    The rich-text editor writes ``<p>a</p><p>b</p>`` for what was stored as ``<p>a</p>\\n<p>b</p>``:
    an untouched body must not count as a change, in a merge or in the history.
    """
    return EMPTY_PARAGRAPH.sub("", TAG_GAP.sub("><", sanitize_html(value or "").strip()))


def same(key, one, other):
    """Return whether two values of ``key`` are the same for an editor."""
    if key == "body":
        return canonical_body(one) == canonical_body(other)
    if key in TERMS:
        return sorted(one or []) == sorted(other or [])
    if key == "authors":
        return [list(a) for a in one or []] == [list(a) for a in other or []]
    return (one if one is not None else "") == (other if other is not None else "")


def digest(value):
    """Return a short fingerprint of a value, so a choice made against it can be checked later."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]
