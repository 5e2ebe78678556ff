"""Checks on uploaded files: a PDF must be a PDF, an image a photo format, both of sensible size.

Each check runs only on a new upload (a file already stored is not fetched again on every save)
and fails with a message an editor can act on.

A stored file name is checked too wherever it did not come from an upload (``media_name_problem``:
the archive importer refuses a bad one) and wherever it becomes an address (``media_url``: a page
or feed leaves out a file whose stored name is bad, even one written straight to the database,
rather than link to it or fail).
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
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
    head = value.read(5)
    value.seek(0)
    if head != b"%PDF-":  # the signature opens the file; anywhere else, it is some other file
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


MEDIA_NAME_MAX_LENGTH = 255
URL_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def media_name_problem(name, folder=""):
    """Return why ``name`` is not a safe stored file name under ``folder``, or None when it is.

    A stored name becomes a path in storage and an address on pages and feeds, so it must be a
    plain relative path in the field's upload folder (``publications/pdf/report.pdf``): no "."
    or ".." part, no leading or doubled slash, no backslash, address scheme or control character,
    and at most MEDIA_NAME_MAX_LENGTH characters.
    """
    if not isinstance(name, str) or not name:
        return _("it is empty")
    if len(name) > MEDIA_NAME_MAX_LENGTH:
        return _("it is longer than %(limit)s characters") % {"limit": MEDIA_NAME_MAX_LENGTH}
    if any(unicodedata.category(character) == "Cc" for character in name):
        return _("it contains a control character")
    if "\\" in name:
        return _("it contains a backslash")
    if name.startswith("/"):
        return _("it starts with a slash")
    if URL_SCHEME.match(name):
        return _("it is an address, not a file name")
    parts = name.split("/")
    if "" in parts:
        return _("it has an empty part (“//” or a final “/”)")
    if "." in parts or ".." in parts:
        return _("it has a “.” or “..” part")
    if folder and not name.startswith(folder):
        return _("it is not in the folder %(folder)s") % {"folder": folder}
    return None


def upload_folder(field):
    """Return the folder a file field uploads to ("publications/pdf/"), or "" when it is computed."""
    return field.upload_to if isinstance(field.upload_to, str) else ""


def media_url(file):
    """Return the address of a stored file, or None when there is none or its name is not safe."""
    if not file or media_name_problem(file.name, upload_folder(file.field)):
        return None
    try:
        return file.url
    except (SuspiciousFileOperation, ValueError):
        return None
