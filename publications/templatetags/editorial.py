"""The admin dashboard's editorial panels."""

from django import template
from django.utils import timezone

from publications import rules
from publications.models import Publication

register = template.Library()


@register.simple_tag
def editorial_queues(user, limit=10):
    """Return the pieces awaiting review and the scheduled ones this user may work on."""
    pieces = Publication.objects.select_related("type", "created_by")
    if not rules.can_publish(user):
        pieces = pieces.filter(created_by=user)
    return {
        "in_review": list(pieces.filter(status=Publication.Status.IN_REVIEW).order_by("updated_at")[:limit]),
        "scheduled": list(
            pieces.filter(status=Publication.Status.PUBLISHED, publish_at__gt=timezone.now()).order_by(
                "publish_at"
            )[:limit]
        ),
        "drafts": list(pieces.filter(status=Publication.Status.DRAFT).order_by("-updated_at")[:limit]),
    }
