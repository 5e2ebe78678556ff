"""Body images from the media library, drawn on the piece's page as responsive pictures.

The stored body keeps a plain ``<img src width height alt loading>`` (what feeds send); the page
draws each library image as core.pictures' ``<picture>`` (AVIF, WebP, JPEG renditions made at the
upload, see services/library.py). No file is opened and no query made: the renditions' names and
sizes follow from the image's name and its width and height in the body.
"""

import html
import re
from dataclasses import replace

from django import template
from django.utils.safestring import mark_safe

from core.pictures import picture_data

from ..models.library import library_name
from ..sanitize import LIBRARY_FOLDER

register = template.Library()

IMAGE = re.compile(r"<img\s[^>]*>")
ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
# The body column: 42rem wide from 46rem up, the screen's width below.
BODY_SIZES = "(min-width: 46rem) 42rem, 100vw"


def _picture(match):
    attrs = {name: html.unescape(value) for name, value in ATTRIBUTE.findall(match.group(0))}
    name, width, height = library_name(attrs.get("src")), attrs.get("width", ""), attrs.get("height", "")
    if not (name and width.isdigit() and height.isdigit()):
        return match.group(0)
    data = picture_data(name, width=int(width), height=int(height), folder=LIBRARY_FOLDER)
    if data is None:
        return match.group(0)
    # The size the body was written with, not the largest rendition's.
    return replace(data, width=width, height=height).html(alt=attrs.get("alt", ""), sizes=BODY_SIZES)


@register.filter
def body_pictures(body):
    """Return a sanitized body with its media library images drawn from their renditions."""
    body = str(body or "")
    if LIBRARY_FOLDER not in body:
        return mark_safe(body)  # noqa: S308 - the sanitized body, as the page drew it before
    return mark_safe(IMAGE.sub(_picture, body))  # noqa: S308 - sanitized text, attributes escaped
