"""Moving a piece through the workflow: submit, publish now, schedule, unpublish, archive.

Each is a button in the admin and a bulk action; both call these, so they behave the same.
"""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events, rules, search
from ..models import Publication
from .revision import draft_bio_lines, record_revision


def _require(allowed):
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do that to this piece."))


def _transition(publication, user, comment, **fields):
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    for name, value in fields.items():
        setattr(publication, name, value)
    with reversion.create_revision(manage_manually=True, atomic=False):
        publication.save(update_fields=list(fields))
        draft_bio_lines(publication)
        search.update_vectors(Publication.objects.filter(pk=publication.pk))
        record_revision(publication, user, comment)
    return publication


@transaction.atomic
def publication_submit(*, publication, user):
    """Send a draft to the editors for review."""
    _require(rules.can_edit(user, publication))
    if publication.status != Publication.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    publication = _transition(
        publication, user, _("Submitted for review"), status=Publication.Status.IN_REVIEW
    )
    events.announce("submitted", publication=publication.pk, user=user.pk)
    return publication


@transaction.atomic
def publication_send_back(*, publication, user, note=""):
    """Return a piece in review to its author as a draft, with what should change (``note``)."""
    _require(rules.can_publish(user))
    if publication.status != Publication.Status.IN_REVIEW:
        raise ValidationError(_("Only a piece in review can be sent back to its author."))
    note = (note or "").strip()[:2000]
    comment = _("Sent back to the author") + (f": {note}" if note else "")
    publication = _transition(publication, user, comment, status=Publication.Status.DRAFT)
    events.announce("sent_back", publication=publication.pk, user=user.pk, note=note)
    return publication


@transaction.atomic
def publication_publish(*, publication, user):
    """Publish now. A piece that was public before keeps its first publish time (its citations
    carry that date); any other piece, a scheduled one included, goes public at this moment."""
    _require(rules.can_publish(user))
    now = timezone.now()
    was_public_since = (
        publication.publish_at if publication.publish_at and publication.publish_at <= now else None
    )
    publication = _transition(
        publication,
        user,
        _("Published"),
        status=Publication.Status.PUBLISHED,
        publish_at=was_public_since or now,
    )
    events.announce("published", publication=publication.pk, user=user.pk)
    return publication


@transaction.atomic
def publication_schedule(*, publication, user, publish_at):
    """Publish at a future time; until then the piece is on no public surface."""
    _require(rules.can_publish(user))
    if publish_at is None or publish_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future to schedule a piece, or publish it now."))
    publication = _transition(
        publication,
        user,
        _("Scheduled for %(time)s") % {"time": timezone.localtime(publish_at).strftime("%Y-%m-%d %H:%M")},
        status=Publication.Status.PUBLISHED,
        publish_at=publish_at,
    )
    events.announce("scheduled", publication=publication.pk, user=user.pk, publish_at=publish_at)
    return publication


@transaction.atomic
def publication_unpublish(*, publication, user):
    """Take a piece off every public surface at once; it goes back to draft."""
    _require(rules.can_publish(user))
    publication = _transition(
        publication, user, _("Unpublished"), status=Publication.Status.DRAFT, **_unschedule(publication)
    )
    events.announce("withdrawn", publication=publication.pk, user=user.pk)
    return publication


@transaction.atomic
def publication_archive(*, publication, user):
    """Withdraw a piece from the public site but keep it, marked as archived."""
    _require(rules.can_publish(user))
    publication = _transition(
        publication, user, _("Archived"), status=Publication.Status.ARCHIVED, **_unschedule(publication)
    )
    events.announce("withdrawn", publication=publication.pk, user=user.pk)
    return publication


def _unschedule(publication):
    """A scheduled piece withdrawn before its time was never public: it keeps no publish time,
    so publishing it later dates it then (and its subscribers hear of it), not at the old time."""
    if Publication.objects.filter(pk=publication.pk, publish_at__gt=timezone.now()).exists():
        return {"publish_at": None}
    return {}


TRANSITIONS = {
    "submit": publication_submit,
    "send_back": publication_send_back,
    "publish": publication_publish,
    "schedule": publication_schedule,
    "unpublish": publication_unpublish,
    "archive": publication_archive,
}
