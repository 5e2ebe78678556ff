"""Who may have a piece's uploaded files, for core's media view (see core/media.py)."""

from django.db.models import Min, Q
from django.utils import timezone

from core.registry import DENIED, PUBLIC, STAFF

from . import rules
from .models import Publication


def publication_file_audience(name, user):
    """A public piece's PDF or image: anyone; a hidden piece's: staff who may preview it."""
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
