"""The media library: images uploaded to be put in the body of a piece, each with its description.

A library image is public only once a public piece's body shows it. Which pieces show which
images is recorded as the pieces are saved (``LibraryImageUse``, kept by the save service), so the
media view asks one indexed question instead of reading every body.
"""

import re
from urllib.parse import unquote

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextMixin
from core.uploads import media_url, validate_image

from ..sanitize import LIBRARY_FOLDER
from .publication import Publication

# An <img> as the sanitizer writes it: double-quoted attributes, no ">" inside one.
IMAGE_SOURCE = re.compile(r'<img\s[^>]*?\bsrc="([^"]*)"')


def library_name(src):
    """Return the stored name of the library file ``src`` points to, or None if it is not one."""
    prefix = settings.MEDIA_URL
    if not src or not src.startswith(prefix):
        return None
    name = unquote(src[len(prefix) :].split("?", 1)[0].split("#", 1)[0])
    return name if name.startswith(LIBRARY_FOLDER) else None


def library_names(html):
    """Return the stored names of the library files an HTML body shows, in no order."""
    return {name for src in IMAGE_SOURCE.findall(html or "") if (name := library_name(src))}


class LibraryImageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the images this staff user may see and choose from.

        Editors see the whole library; other staff who write pieces see what they uploaded, what
        their own pieces show and what public pieces show, so an image waiting in an editor's
        embargoed draft stays unseen until the piece is out.
        """
        from .. import rules

        if not (user.is_active and user.is_staff and user.has_perm("publications.view_publication")):
            return self.none()
        if rules.can_publish(user):
            return self.all()
        uses = LibraryImageUse.objects.filter(image=OuterRef("pk"))
        return self.filter(
            Q(uploaded_by=user)
            | Q(Exists(uses.filter(publication__created_by=user)))
            | Q(Exists(uses.filter(publication__in=Publication.objects.published())))
        )

    def shown_publicly(self):
        """Return the images some public piece's body shows."""
        uses = LibraryImageUse.objects.filter(
            image=OuterRef("pk"), publication__in=Publication.objects.published()
        )
        return self.filter(Exists(uses))

    def search(self, query):
        """Return the images whose description, caption, credit or file name contains ``query``."""
        query = (query or "").strip()
        if not query:
            return self
        return self.filter(
            Q(alt__icontains=query)
            | Q(caption__icontains=query)
            | Q(credit__icontains=query)
            | Q(file__icontains=query)
        )


class LibraryImage(CleanTextMixin, models.Model):
    file = models.ImageField(
        _("image"),
        upload_to=LIBRARY_FOLDER,
        max_length=255,
        db_index=True,  # the media view finds the image by its file (publications/media.py)
        validators=[validate_image],
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG, WebP or GIF."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    alt = models.CharField(
        _("description"),
        max_length=300,
        help_text=_(
            "What the image shows, for readers who cannot see it (read out by screen readers). "
            "Say what matters for the piece; do not start with “Image of”."
        ),
    )
    caption = models.CharField(
        _("caption"), max_length=500, blank=True, help_text=_("Shown under the image, for every reader.")
    )
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Who took or owns it: “Reuters/Jane Doe”.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    pieces = models.ManyToManyField(
        Publication,
        through="LibraryImageUse",
        related_name="library_images",
        verbose_name=_("shown in"),
        blank=True,
    )

    objects = LibraryImageQuerySet.as_manager()

    class Meta:
        ordering = ("-uploaded_at", "-pk")
        verbose_name = _("library image")
        verbose_name_plural = _("media library")
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt=""),
                name="libraryimage_has_description",
                violation_error_message=_("Every image needs a description for readers who cannot see it."),
            ),
        ]

    def __str__(self):
        return Truncator(self.alt).chars(60) or self.file.name

    def get_absolute_url(self):
        return self.url

    @property
    def url(self):
        """Return the image's address, or None when its stored name is not safe."""
        return media_url(self.file)


class LibraryImageUse(models.Model):
    """A piece whose body shows a library image: recorded on every save of the piece."""

    image = models.ForeignKey(
        LibraryImage, on_delete=models.PROTECT, related_name="uses", verbose_name=_("image")
    )
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="library_image_uses", verbose_name=_("piece")
    )

    class Meta:
        ordering = ("pk",)
        verbose_name = _("use of a library image")
        verbose_name_plural = _("uses of library images")
        constraints = [
            models.UniqueConstraint(fields=("image", "publication"), name="libraryimageuse_unique"),
        ]

    def __str__(self):
        return f"{self.image} · {self.publication}"
