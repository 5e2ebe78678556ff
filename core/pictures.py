"""Pictures: renditions made once per upload, and the ``<picture>`` a page draws from them.

An uploaded image is never sent to readers as it was uploaded: :func:`prepare`, called from the
write path (a piece's save, a person's admin save, the demo loader), makes its renditions with
sorl-thumbnail's engine (AVIF, WebP and a JPEG fallback at a few widths, see :class:`Shape`) and
stores each one under a name computed from the source's name alone::

    renditions/<source name>/<width>x<height>.<avif|webp|jpg>

so a page knows every rendition's name and size from the source's name and dimensions, without
opening a file, asking sorl's key-value store or making a query (:func:`picture_data`); and the
media view knows whose file a rendition is: :func:`rendition_audience` answers for a rendition
what the source's own app answers for the source (a draft's image and its renditions are hidden
alike).
"""

import logging
import re
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from PIL import Image as PilImage
from sorl.thumbnail import default as sorl
from sorl.thumbnail.base import EXTENSIONS, ThumbnailBackend
from sorl.thumbnail.engines.pil_engine import Engine as PilEngine
from sorl.thumbnail.images import ImageFile

from . import registry
from .uploads import media_name_problem

logger = logging.getLogger(__name__)

RENDITIONS_FOLDER = "renditions/"
# Format, media type, quality: AVIF first (smallest), then WebP, then JPEG for every browser.
FORMATS = (("AVIF", "image/avif", 50), ("WEBP", "image/webp", 72), ("JPEG", "image/jpeg", 76))
RENDITION = re.compile(r"^renditions/(?P<source>.+)/(?P<width>\d+)x(?P<height>\d+)\.(?P<ext>avif|webp|jpg)$")


@dataclass(frozen=True)
class Shape:
    """What renditions an image gets: widths, a fixed ratio (cropped to the centre) or the source's."""

    widths: tuple
    ratio: tuple | None = None
    formats: tuple = FORMATS

    def sizes_for(self, width, height):
        """Return (width, height) of each rendition of a width × height source, smallest first.

        The source's own ratio is kept and it is never enlarged (a 1000 px source gets 320, 640
        and 960); a fixed ratio is always made at every width (a small portrait is enlarged).
        """
        if self.ratio:
            across, down = self.ratio
            return [(w, round(w * down / across)) for w in self.widths]
        if not width or not height:
            return []
        widths = [w for w in self.widths if w <= width] or [width]
        return [(w, max(1, round(height * w / width))) for w in widths]


# A piece's lead image, card thumbnails and figures: the source's ratio, up to 1280 px.
NATURAL = Shape(widths=(320, 640, 960, 1280))
# A person's portrait: square.
PORTRAIT = Shape(widths=(160, 320, 480), ratio=(1, 1))
# What a link preview (Open Graph, X) shows: 1200 × 630, one JPEG.
SOCIAL = Shape(widths=(1200,), ratio=(1200, 630), formats=(FORMATS[2],))


def rendition_name(source, width, height, image_format):
    return f"{RENDITIONS_FOLDER}{source}/{width}x{height}.{EXTENSIONS[image_format]}"


def source_of(name):
    """Return the name of the source a rendition was made from, or None if ``name`` is none."""
    match = RENDITION.match(name)
    return match["source"] if match else None


class Engine(PilEngine):
    """sorl's Pillow engine, encoding AVIF at a speed fit for a save (about 0.2 s per image)."""

    avif_speed = 8

    def _get_raw_data(self, image, format_, quality, image_info=None, progressive=False):
        if format_ != "AVIF":
            return super()._get_raw_data(image, format_, quality, image_info, progressive)
        from io import BytesIO

        buffer = BytesIO()
        image.save(buffer, format="AVIF", quality=quality, speed=self.avif_speed)
        return buffer.getvalue()


class RenditionBackend(ThumbnailBackend):
    """sorl's backend, naming every thumbnail after its source (``renditions/<source>/WxH.ext``).

    The name is what lets the media view find the source a rendition shows, and lets a page
    compute the names without sorl's key-value store.
    """

    engine = Engine()

    def _get_thumbnail_filename(self, source, geometry_string, options):
        width, height = geometry_string.split("x")
        return rendition_name(source.name, width, height, options["format"])

    def make(self, name, shapes):
        """Write every rendition of the stored image ``name``; return the names written.

        The source is read once and each size drawn once (sorl's engine: orientation, colour
        space, scale, centre crop to the exact size the page is told), then encoded per format.
        """
        image = self.engine.get_image(ImageFile(name, default_storage))
        info = self.engine.get_image_info(image)
        written = []
        for shape in shapes:
            for size in shape.sizes_for(*self.engine.get_image_size(image)):
                options = {**self.default_options, "crop": "center", "upscale": True, "image_info": info}
                options["format"] = shape.formats[0][0]  # keeps transparency; JPEG is flattened on write
                drawn = self.engine.create(image, size, options)
                for image_format, _type, quality in shape.formats:
                    written.append(
                        self._write(
                            drawn, rendition_name(name, *size, image_format), options, image_format, quality
                        )
                    )
        return written

    def _write(self, drawn, name, options, image_format, quality):
        thumbnail = ImageFile(name, sorl.storage)
        if thumbnail.exists():  # a source name used again (the old file was deleted): replace
            thumbnail.delete()
        self.engine.write(
            drawn, {**options, "format": image_format, "quality": quality, "progressive": True}, thumbnail
        )
        return thumbnail.name


backend = RenditionBackend()


def prepare(name, shapes=(NATURAL, SOCIAL)):
    """Make the renditions of the stored image ``name`` for ``shapes``; return their names.

    Call it from the write path, once per new upload: pages only name renditions, they never
    make one. A file that cannot be read is logged and left without renditions (its pages then
    show no picture rather than fail).
    """
    if not name or media_name_problem(name):
        return []
    try:
        return backend.make(name, shapes)
    except (OSError, ValueError, SyntaxError):  # Pillow's errors for a damaged file
        logger.exception("No renditions for %s", name)
        return []


def renditions_complete(name, shapes, storage=default_storage):
    """Return whether every rendition ``shapes`` ask of the stored image ``name`` is stored.

    Reads only the source's header (its size), not its pixels.
    """
    with storage.open(name) as file:
        size = PilImage.open(file).size
    return all(
        storage.exists(rendition_name(name, width, height, image_format))
        for shape in shapes
        for width, height in shape.sizes_for(*size)
        for image_format, _type, _quality in shape.formats
    )


def _url(name):
    return default_storage.url(name)


@dataclass(frozen=True)
class Picture:
    """What a ``<picture>`` needs: a srcset per format (best first), the fallback, its size."""

    sources: tuple  # (media type, srcset) for AVIF and WebP
    srcset: str  # the JPEG renditions
    src: str
    width: int
    height: int

    def html(self, *, alt, sizes, css_class="", lazy=True, priority=False):
        """Return the ``<picture>`` element: a source per format, the JPEG ``<img>`` with its size."""
        sources = format_html_join(
            "",
            '<source type="{}" srcset="{}" sizes="{}">',
            ((kind, srcset, sizes) for kind, srcset in self.sources),
        )
        return format_html(
            '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}{}{}'
            ' decoding="async"></picture>',
            sources,
            self.src,
            self.srcset,
            sizes,
            self.width,
            self.height,
            alt,
            format_html(' class="{}"', css_class) if css_class else "",
            mark_safe(' loading="lazy"') if lazy else "",
            mark_safe(' fetchpriority="high"') if priority else "",
        )


def picture_data(name, *, width=None, height=None, shape=NATURAL, widths=None, folder=""):
    """Return the Picture of the stored image ``name`` (width × height px), or None.

    No file is opened and no query made: the names follow from the source's. ``widths`` keeps
    only the renditions a place needs (a thumbnail: ``(320, 640)``). None when there is nothing to
    show: no name, an unsafe one (or one outside ``folder``, the field's upload folder), or a
    natural-ratio image whose size is unknown.
    """
    if not name or media_name_problem(name, folder):
        return None
    sizes = shape.sizes_for(width, height)
    if widths:
        wanted = [size for size in sizes if size[0] in widths]
        sizes = wanted or sizes[:1]
    if not sizes:
        return None
    srcsets = {}
    for image_format, media_type, _quality in shape.formats:
        srcsets[media_type] = ", ".join(
            f"{_url(rendition_name(name, w, h, image_format))} {w}w" for w, h in sizes
        )
    fallback_width, fallback_height = sizes[-1]
    fallback_type = shape.formats[-1][1]
    return Picture(
        sources=tuple((t, s) for t, s in srcsets.items() if t != fallback_type),
        srcset=srcsets[fallback_type],
        src=_url(rendition_name(name, fallback_width, fallback_height, shape.formats[-1][0])),
        width=fallback_width,
        height=fallback_height,
    )


def social_image_url(name, folder=""):
    """Return the address of the 1200 × 630 JPEG a link preview shows, or None."""
    if not name or media_name_problem(name, folder):
        return None
    (size,) = SOCIAL.sizes_for(None, None)
    return _url(rendition_name(name, *size, "JPEG"))


def rendition_audience(name, user):
    """Answer for a rendition what the apps answer for its source (see core/media.py)."""
    source = source_of(name)
    if source is None:
        return None
    answers = {
        resolver(source, user)
        for folder, resolver in registry.site.media_resolvers
        if folder != RENDITIONS_FOLDER and source.startswith(folder)
    }
    for answer in (registry.PUBLIC, registry.STAFF, registry.DENIED):
        if answer in answers:
            return answer
    return None
