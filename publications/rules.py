"""Who may do what with a piece. The admin, the preview and the services all ask here."""

from .models import Publication

CONTRIBUTOR_STATUSES = (Publication.Status.DRAFT, Publication.Status.IN_REVIEW)


def can_publish(user):
    """Editors (and administrators): publish, schedule, unpublish, archive, edit any piece."""
    return user.is_active and user.has_perm("publications.publish_publication")


def owns(user, publication):
    return publication.created_by_id is not None and publication.created_by_id == user.pk


def can_edit(user, publication):
    """Editors edit every piece; contributors their own, until it is published."""
    if not (user.is_active and user.has_perm("publications.change_publication")):
        return False
    if can_publish(user):
        return True
    return owns(user, publication) and publication.status in CONTRIBUTOR_STATUSES


def can_view_unpublished(user, publication):
    """Staff who may work on a piece may preview it before it is public."""
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("publications.view_publication")
        and (can_publish(user) or owns(user, publication))
    )


def transitions(user, publication):
    """Return the workflow steps this user may take with this piece, as buttons show them."""
    if publication.pk is None or not can_edit(user, publication):
        return []
    Status = Publication.Status
    if not can_publish(user):
        return ["submit"] if publication.status == Status.DRAFT else []
    steps = []
    if not publication.is_public:
        steps += ["publish", "schedule"]
    if publication.status == Status.IN_REVIEW:
        steps.append("send_back")
    if publication.status == Status.PUBLISHED:
        steps.append("unpublish")
    if publication.status != Status.ARCHIVED:
        steps.append("archive")
    return steps
