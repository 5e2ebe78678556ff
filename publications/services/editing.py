"""Saving a piece with its authors and terms: the one write path, with field-by-field merging.

A piece's content is handled as a *state*: a plain, JSON-safe dict of its editable fields, its
ordered authors with their bio lines, and its topics, regions and tags. The admin form sends the
state the editor opened (``base``) with the one they want (``state``); the service compares both
with the state stored now (``theirs``) and applies only what this editor changed. A field that
both changed is a conflict: nothing is written until the editor chooses, field by field.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import rules, search
from ..models import (
    Authorship,
    Autosave,
    Publication,
    SlugRedirect,
    TaggedRegion,
    TaggedTag,
    TaggedTopic,
    VersionContent,
)
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


# States.


def publication_state(publication):
    """Return the content state of a stored (or unsaved) piece."""
    state = {name: _field_value(publication, name) for name in FIELDS}
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


def _field_value(publication, name):
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


# Merging.


@dataclass
class Conflict:
    key: str
    base: object
    yours: object
    theirs: object

    @property
    def label(self):
        return label(self.key)

    @property
    def theirs_digest(self):
        return digest(self.theirs)


@dataclass
class EditConflict(Exception):
    """Both editors changed the same field: nothing was saved."""

    conflicts: list = field(default_factory=list)

    @property
    def keys(self):
        return [c.key for c in self.conflicts]


def _merge_terms(base, yours, theirs):
    added = set(yours) - set(base)
    removed = set(base) - set(yours)
    return sorted((set(theirs) - removed) | added)


def _merge_authors(base, yours, theirs):
    """Merge two edits of a byline: people added and removed, order, bio lines. None = conflict."""
    base_people = [p for p, _line in base]
    your_people = [p for p, _line in yours]
    their_people = [p for p, _line in theirs]
    added = [p for p in your_people if p not in base_people]
    removed = {p for p in base_people if p not in your_people}

    def reordered(people):
        kept = [p for p in people if p in base_people]
        return kept != [p for p in base_people if p in kept]

    both_orders = [p for p in your_people if p in their_people], [p for p in their_people if p in your_people]
    if reordered(your_people) and reordered(their_people) and both_orders[0] != both_orders[1]:
        return None  # both reordered the byline, differently
    order = your_people if reordered(your_people) else their_people
    merged = [p for p in order if p not in removed and (p in their_people or p in added)]
    merged += [p for p in [*their_people, *added] if p not in merged and p not in removed]

    lines = {}
    base_lines, your_lines, their_lines = dict(base), dict(yours), dict(theirs)
    for person in merged:
        was, mine, now = base_lines.get(person), your_lines.get(person), their_lines.get(person)
        if was is None or now is None:
            lines[person] = mine if mine is not None else now
        elif mine is None or mine == was:
            lines[person] = now
        elif now in (was, mine):
            lines[person] = mine
        else:
            return None
    return [[person, lines[person]] for person in merged]


def publication_merge(*, base, yours, theirs, resolutions=None):
    """Return (merged state, conflicts) for a save of ``yours`` made from ``base``.

    ``resolutions`` maps a key to ``(choice, digest of theirs)``: "mine" or "theirs", chosen
    against the stored value with that digest. A choice made against an older value (a third
    editor saved meanwhile) no longer holds: the field is a conflict again.
    """
    resolutions = resolutions or {}
    merged, conflicts = {}, []
    for key in KEYS:
        was, mine, now = base.get(key), yours.get(key), theirs.get(key)
        if same(key, mine, was) or same(key, mine, now):
            merged[key] = now
        elif same(key, now, was):
            merged[key] = mine
        elif key in TERMS:
            merged[key] = _merge_terms(was or [], mine or [], now or [])
        elif key == "authors" and (lines := _merge_authors(was or [], mine or [], now or [])) is not None:
            merged[key] = lines
        else:
            choice, seen = resolutions.get(key, (None, None))
            if choice in ("mine", "theirs") and seen == digest(now):
                merged[key] = mine if choice == "mine" else now
            else:
                conflicts.append(Conflict(key, was, mine, now))
    return merged, conflicts


# Writing.


def check_slug(publication, slug):
    """Refuse an address that is, or was, another piece's: old addresses belong to their piece."""
    others = Publication.objects.exclude(pk=publication.pk)
    if others.filter(slug=slug).exists():
        raise ValidationError(_("Another piece already has this address."), code="unique")
    if SlugRedirect.objects.filter(old_slug=slug).exclude(publication_id=publication.pk).exists():
        raise ValidationError(
            _("This address was another piece's and still leads to it: choose another one."), code="taken"
        )


def _apply_fields(publication, state):
    for name in FIELDS:
        value = state[name]
        if name == "type":
            publication.type_id = value
        elif name == "outlet_date":
            publication.outlet_date = datetime.date.fromisoformat(value) if value else None
        else:
            setattr(publication, name, value)


def _sync_authors(publication, authors):
    existing = {a.person_id: a for a in publication.authorships.all()}
    wanted = {person: (position, line) for position, (person, line) in enumerate(authors)}
    gone = [a.pk for person, a in existing.items() if person not in wanted]
    if gone:
        Authorship.objects.filter(pk__in=gone).delete()
    new, changed = [], []
    for person, (position, line) in wanted.items():
        authorship = existing.get(person)
        if authorship is None:
            new.append(
                Authorship(publication=publication, person_id=person, position=position, bio_line=line)
            )
        elif (authorship.position, authorship.bio_line) != (position, line):
            authorship.position, authorship.bio_line = position, line
            authorship.clean_text()
            changed.append(authorship)
    if changed:  # the piece's own save has already ended the cached pages
        Authorship.objects.bulk_update(changed, ["position", "bio_line"])
    if new:
        for authorship in new:
            authorship.clean_text()
        Authorship.objects.bulk_create(new)


def _sync_terms(publication, key, wanted, now):
    through = TERMS[key]
    gone = set(now) - set(wanted)
    if gone:
        through.objects.filter(content_object=publication, tag_id__in=gone).delete()
    added = [through(content_object=publication, tag_id=tag) for tag in wanted if tag not in now]
    if added:
        through.objects.bulk_create(added)


def draft_bio_lines(publication):
    """Store, in each empty bio line of a published piece, the line its author had on the day.

    Return {person id: line} of the lines drafted.
    """
    drafted = {}
    if publication.status != Publication.Status.PUBLISHED or not publication.publish_at:
        return drafted
    day = publication.publish_date
    for authorship in publication.authorships.filter(bio_line="").select_related("person"):
        authorship.bio_line = authorship.person.bio_line_on(day)
        if authorship.bio_line:
            authorship.save(update_fields=["bio_line"])
            drafted[authorship.person_id] = authorship.bio_line
    return drafted


def record_revision(publication, user, comment, state=None):
    """Keep a version of the piece, with its authors and terms, as it now stands.

    ``state`` is the piece's state as just written, if the caller has it (else it is read). The
    services open their revisions with ``manage_manually``: only this call adds to them, so a
    save is one version and one VersionContent, not a version for every row it touched.
    """
    state = state or publication_state(publication)
    reversion.add_to_revision(publication)
    reversion.add_meta(
        VersionContent,
        publication_id=publication.pk,
        state={key: state[key] for key in ("authors", *TERMS)},
    )
    if user is not None:
        reversion.set_user(user)
    reversion.set_comment(comment)


def write_state(publication, state, *, now, user, comment):
    """Write ``state`` onto a stored or new piece and everything that follows from it.

    ``now`` is the stored state (what is there to change). One pass: the piece, its byline and
    terms as differences, the old address kept, bio lines, the search vector, the version.
    """
    old_slug = publication.slug if publication.pk else None
    if state["slug"] != old_slug:
        try:
            check_slug(publication, state["slug"])
        except ValidationError as error:
            raise ValidationError({"slug": error.messages}) from error
    _apply_fields(publication, state)
    # Content never moves a piece through the workflow, so the status constraint is not at stake.
    publication.full_clean(
        exclude=("slug", "type", "created_by", "pdf", "image"),
        validate_unique=False,
        validate_constraints=False,
    )
    publication.save()
    if old_slug and old_slug != publication.slug:
        # The old address keeps working (bookmarks, feeds and citations depend on it) and stays
        # this piece's for good; going back to an old address retires that redirect.
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"publication": publication})
        SlugRedirect.objects.filter(old_slug=publication.slug, publication=publication).delete()
    if not same("authors", state["authors"], now["authors"]):
        _sync_authors(publication, state["authors"])
    for key in TERMS:
        if not same(key, state[key], now[key]):
            _sync_terms(publication, key, state[key], now[key])
    drafted = draft_bio_lines(publication)
    authors = [[person, drafted.get(person, line)] for person, line in state["authors"]]
    search.update_vectors(Publication.objects.filter(pk=publication.pk))
    record_revision(publication, user, comment, state={**state, "authors": authors})
    return publication


@transaction.atomic
@reversion.create_revision(manage_manually=True, atomic=False)
def publication_save(*, publication, user, state, base=None, resolutions=None, comment="", stored=None):
    """Create or change a piece's content from an editor's ``state``; return the piece.

    For a stored piece, ``base`` is the state the editor started from: only what they changed
    is applied, and what others changed meanwhile is kept. Raise EditConflict (nothing written)
    when both changed the same field, PermissionDenied when the user may not edit the piece.
    ``stored`` is (piece, its state) if the caller has already read them with
    ``select_for_update`` in the current transaction (the admin form does, to show conflicts).
    """
    created = publication.pk is None
    if created:
        if not user.has_perm("publications.add_publication"):
            raise PermissionDenied(_("You are not allowed to add pieces."))
        publication.created_by = publication.created_by or user
        now = publication_state(Publication())
        merged = {**now, **state}
    else:
        if stored is None:
            locked = Publication.objects.select_for_update().get(pk=publication.pk)
            stored = locked, publication_state(locked)
        publication, now = stored
        if not rules.can_edit(user, publication):
            raise PermissionDenied(_("You are not allowed to change this piece."))
        merged, conflicts = publication_merge(
            base=base or now, yours=state, theirs=now, resolutions=resolutions
        )
        if conflicts:
            raise EditConflict(conflicts)
    if not rules.can_publish(user):
        for name in EDITOR_ONLY_FIELDS:
            merged[name] = now[name]
    write_state(publication, merged, now=now, user=user, comment=comment or _("Saved"))
    # The copy of this form is spent: a new piece's was kept without a piece.
    Autosave.objects.filter(user=user, publication=None if created else publication).delete()
    return publication
