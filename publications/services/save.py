"""Saving a piece with its authors and terms: the one write path, with field-by-field merging.

The admin form sends the state the editor opened (``base``) with the one they want (``state``);
the service compares both with the state stored now (``theirs``) and applies only what this editor
changed (see merge.py).
"""

import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import pictures

from .. import rules, search
from ..models import Authorship, Autosave, Publication, SlugRedirect
from .library import body_images_sync
from .merge import EditConflict, publication_merge
from .revision import draft_bio_lines, record_revision
from .state import EDITOR_ONLY_FIELDS, FIELDS, KEYS, TERMS, publication_state, same

# What a piece's "updated" time does not follow: whether the home page features it is no change
# to the piece. Anything else a save changes is (its text, byline, terms, files, address).
NOT_A_CHANGE = ("is_featured",)


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


def changes_the_piece(state, now):
    """Whether writing ``state`` over ``now`` changes the piece itself (not only its placement)."""
    return any(not same(key, state[key], now[key]) for key in KEYS if key not in NOT_A_CHANGE)


def keep_last_change(publication, when):
    """Put back the time of the piece's last real change, which the save (``auto_now``) moved.

    A save that changes nothing (a second click on Save, only featuring it) must not tell feeds,
    sitemaps and search engines the piece was revised, nor the editors' dashboard it was edited.
    """
    Publication.objects.filter(pk=publication.pk).update(updated_at=when)
    publication.updated_at = when


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
    last_change = publication.updated_at
    _apply_fields(publication, state)
    # Content never moves a piece through the workflow, so the status constraint is not at stake.
    publication.full_clean(
        exclude=("slug", "type", "created_by", "pdf", "image"),
        validate_unique=False,
        validate_constraints=False,
    )
    publication.save()
    if last_change and not changes_the_piece(state, now):
        keep_last_change(publication, last_change)
    body_images_sync(publication=publication, before=now["body"])  # whom its images are shown to
    if publication.image and publication.image.name != now["image"]:
        pictures.prepare(publication.image.name)  # once per upload: pages only name renditions
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
