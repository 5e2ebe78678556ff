"""``{% picture %}``: an uploaded image as a responsive ``<picture>``, from its renditions.

    {% load pictures %}
    {% picture publication.image alt=publication.image_alt sizes="(min-width: 46rem) 42rem, 100vw" %}
    {% picture person.photo shape="portrait" widths="160 320" sizes="10rem" class="portrait" %}
    {% picture publication.image widths="320 640" sizes="8rem" lazy=False as html %}

``image`` is an image field's file (its size is read from the field's width and height fields,
never from the file) or a stored name with ``width=`` and ``height=``. ``shape`` is "natural"
(the source's ratio) or "portrait" (square). Below the fold is the default (``loading="lazy"``);
pass ``lazy=False`` (or ``eager=True``, handy from an include) for what is first on screen, and
``priority=True`` for the one picture that matters most (``fetchpriority="high"``). Renders
nothing when there is no picture to show.
"""

from django import template

from core.pictures import NATURAL, PORTRAIT, picture_data, social_image_url
from core.uploads import upload_folder

register = template.Library()

SHAPES = {"natural": NATURAL, "portrait": PORTRAIT}


def _dimensions(image):
    field = getattr(image, "field", None)
    instance = getattr(image, "instance", None)
    if field is None or instance is None:
        return None, None
    width_field, height_field = getattr(field, "width_field", None), getattr(field, "height_field", None)
    return (
        getattr(instance, width_field, None) if width_field else None,
        getattr(instance, height_field, None) if height_field else None,
    )


def _folder(image):
    """The upload folder of the field ``image`` is from: a stored name elsewhere is not shown."""
    field = getattr(image, "field", None)
    return upload_folder(field) if field is not None else ""


def _widths(value):
    if not value:
        return None
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return tuple(int(width) for width in value)


@register.simple_tag
def picture(
    image,
    alt="",
    sizes="100vw",
    widths=None,
    shape="natural",
    lazy=True,
    eager=False,
    priority=False,
    **options,
):
    """Return the ``<picture>`` for ``image``, or "" when there is none (see the module's doc)."""
    name = getattr(image, "name", image)
    width, height = options.get("width"), options.get("height")
    if width is None and height is None:
        width, height = _dimensions(image)
    data = picture_data(
        name, width=width, height=height, shape=SHAPES[shape], widths=_widths(widths), folder=_folder(image)
    )
    if data is None:
        return ""
    return data.html(
        alt=alt, sizes=sizes, css_class=options.get("class", ""), lazy=lazy and not eager, priority=priority
    )


@register.simple_tag
def social_image(image):
    """Return the address of the 1200 × 630 JPEG a link preview of ``image`` shows, or ""."""
    return social_image_url(getattr(image, "name", image), _folder(image)) or ""
