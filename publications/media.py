"""Who may have a piece's uploaded files, for core's media view (see core/media.py)."""

from django.db.models import Min, Q
from django.utils import timezone

from core.registry import DENIED, PUBLIC, STAFF

from . import rules
from .models import LibraryImage, Publication
from .sanitize import LIBRARY_FOLDER


def library_file_audience(name, user):
    """A library image a public piece's body shows: anyone; otherwise staff who may choose it.

    Read from the record the save service keeps of which pieces show which images: one indexed
    query for a public image, whatever the size of the archive.
    """
    images = LibraryImage.objects.filter(file=name)
    if images.shown_publicly().exists():
        return PUBLIC
    if not images.exists():
        return None
    if user.is_authenticated and images.visible_to(user).exists():
        return STAFF
    return DENIED


def publication_file_audience(name, user):
    """A public piece's PDF or image: anyone; a hidden piece's: staff who may preview it.

    A media library image is answered for by ``library_file_audience``.
    """
    if name.startswith(LIBRARY_FOLDER):
        return library_file_audience(name, user)
    pieces = list(
        Publication.objects.filter(Q(pdf=name) | Q(image=name)).only("status", "publish_at", "created_by")
    )
    if not pieces:
        return None
    if any(piece.is_public for piece in pieces):
        return PUBLIC
    if user.is_authenticated and user.is_staff and any(rules.can_view_unpublished(user, p) for p in pieces):
        return STAFF
    return DENIED


def unclaimed_file_audience(user):
    """A file no piece or person has (replaced by an edit, a stray upload): editors only."""
    return rules.can_publish(user)


def next_scheduled_publication():
    """When the next scheduled piece goes public, or None: the public pages change then."""
    return Publication.objects.filter(
        status=Publication.Status.PUBLISHED, publish_at__gt=timezone.now()
    ).aggregate(next=Min("publish_at"))["next"]
