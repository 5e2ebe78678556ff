"""Every stored image of the site with the renditions its pages name (core.pictures).

The write path makes an upload's renditions once; images that came in another way (an archive
import, files uploaded before renditions existed, a restored media folder) get theirs here.
"""

from core import pictures
from people.models import Person

from .models import LibraryImage, Publication


def stored_images():
    """Yield (name, shapes) for every image a piece, a person or the media library holds."""
    for name in Publication.objects.exclude(image="").values_list("image", flat=True).iterator():
        yield name, (pictures.NATURAL, pictures.SOCIAL)
    for name in Person.objects.exclude(photo="").values_list("photo", flat=True).iterator():
        yield name, (pictures.PORTRAIT,)
    for name in LibraryImage.objects.values_list("file", flat=True).iterator():
        yield name, (pictures.NATURAL,)


def renditions_ensure(*, every=False):
    """Make the renditions of each stored image missing any (all of them with ``every``).

    Return (made, failed): the names given renditions, and those that could not be read.
    """
    made, failed = [], []
    for name, shapes in stored_images():
        if not every and _complete(name, shapes):
            continue
        (made if pictures.prepare(name, shapes) else failed).append(name)
    return made, failed


def _complete(name, shapes):
    try:
        return pictures.renditions_complete(name, shapes)
    except (OSError, ValueError, SyntaxError):  # a missing or unreadable source: prepare reports it
        return False
