"""The admin's "view on site" shortcut, refusing to give away the address of a piece not yet public."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404

from .. import rules
from ..models import Publication


def guarded_piece(obj):
    """Return the piece whose address ``obj`` links to, or None when it links to no piece."""
    if isinstance(obj, Publication):
        return obj
    # An old slug, an authorship...: what belongs to a piece links to the piece, or could come to.
    related = getattr(obj, "publication", None)
    return related if isinstance(related, Publication) else None


def view_on_site(request, content_type_id, object_id):
    """Redirect to an object's public page, as the admin's shortcut does, unless it is a hidden piece.

    A piece's address holds its slug, which may give a draft away: staff who may not preview the
    piece get a 404 for it, as its public page would give them. Serve it wrapped in
    ``admin.site.admin_view``, which sends anyone not logged-in staff to the admin login.
    """
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
        obj = content_type.get_object_for_this_type(pk=object_id)
    except (ObjectDoesNotExist, ValueError, ValidationError, AttributeError):
        obj = None  # the shortcut answers 404 for these, in its own words
    piece = guarded_piece(obj)
    if piece is not None and not (piece.is_public or rules.can_view_unpublished(request.user, piece)):
        raise Http404("No such page.")
    return shortcut(request, content_type_id, object_id)
