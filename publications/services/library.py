"""The media library's writes: an upload, and the record of which pieces show which images."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core import pictures

from .. import rules
from ..models import LibraryImage, LibraryImageUse
from ..models.library import library_names
from ..sanitize import LIBRARY_FOLDER


def may_upload(user, publication=None):
    """Whoever may write a piece may add images for it: contributors for their own pieces."""
    if not (user.is_active and user.is_staff):
        return False
    if publication is not None:
        return rules.can_edit(user, publication)
    return user.has_perm("publications.add_publication") or user.has_perm("publications.change_publication")


def may_describe(user, image):
    """Editors may change any image's description, caption and credit; others those they uploaded."""
    if rules.can_publish(user):
        return True
    uploader = image.uploaded_by_id
    return user.is_active and user.is_staff and uploader is not None and uploader == user.pk


@transaction.atomic
def library_image_upload(*, user, image, publication=None):
    """Store a checked, unsaved ``image`` (a LibraryImage with its file) as ``user``'s upload."""
    if not may_upload(user, publication):
        raise PermissionDenied(_("You may add images only to pieces you can edit."))
    image.uploaded_by = user
    image.full_clean()
    image.save()
    pictures.prepare(image.file.name, shapes=(pictures.NATURAL,))  # once: pages only name renditions
    return image


def body_images_sync(*, publication, before=""):
    """Record which library images the piece's body shows; the media view asks this record.

    ``before`` is the body as stored before this save: a body that neither showed nor shows a
    library image costs no query.
    """
    if LIBRARY_FOLDER not in (publication.body or "") and LIBRARY_FOLDER not in (before or ""):
        return
    names = library_names(publication.body)
    wanted = set(LibraryImage.objects.filter(file__in=names).values_list("pk", flat=True)) if names else set()
    shown = set(publication.library_image_uses.values_list("image_id", flat=True))
    if shown - wanted:
        publication.library_image_uses.filter(image_id__in=shown - wanted).delete()
    if wanted - shown:
        LibraryImageUse.objects.bulk_create(
            [LibraryImageUse(image_id=pk, publication=publication) for pk in sorted(wanted - shown)],
            ignore_conflicts=True,
        )
