"""Checks on uploaded files: a PDF must be a PDF, an image a photo format, both of sensible size.

Each check runs only on a new upload (a file already stored is not fetched again on every save)
and fails with a message an editor can act on.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


def _is_new_upload(value):
    return value and not getattr(value, "_committed", True)


def _check_size(value, limit, kind):
    if value.size > limit:
        raise ValidationError(
            _("This %(kind)s is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={"kind": kind, "size": filesizeformat(value.size), "limit": filesizeformat(limit)},
        )


def validate_pdf(value):
    if not _is_new_upload(value):
        return
    if not value.name.lower().endswith(".pdf"):
        raise ValidationError(_("Upload a PDF file (a name ending in .pdf)."), code="not_pdf_name")
    _check_size(value, settings.PDF_MAX_BYTES, _("PDF"))
    value.seek(0)
    head = value.read(1024)
    value.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError(
            _("This file is not a PDF, whatever its name says. Export it as PDF and upload it again."),
            code="not_pdf",
        )


def validate_image(value):
    if not _is_new_upload(value):
        return
    _check_size(value, settings.IMAGE_MAX_BYTES, _("image"))
    value.seek(0)
    try:
        with Image.open(value) as image:
            image_format, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF."),
            code="not_image",
        ) from None
    finally:
        value.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("Images must be JPEG, PNG, WebP or GIF; this one is %(format)s."),
            code="image_format",
            params={"format": image_format},
        )
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels; the limit is %(limit)s million "
                "pixels in all. Scale it down and upload it again."
            ),
            code="image_too_many_pixels",
            params={"width": width, "height": height, "limit": f"{settings.IMAGE_MAX_PIXELS / 1e6:g}"},
        )
