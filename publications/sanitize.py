"""Allow-list HTML sanitizing for every stored rich-text field, and the text derived from it.

Stored rich text is shown on pages under a strict CSP and sent in feeds, where readers load
whatever it names, so its addresses are held to what the site itself serves:

- An image is kept only when its ``src`` is this site's own: a path here (root-relative,
  ``/media/...`` or ``/static/...``, or relative to the page) or, when media live on another
  origin (S3, a CDN), an address on that origin. An external, protocol-relative
  (``//host/x.png``) or ``data:`` image is removed, element and all: the CSP would block it on
  the page, and in a feed it would be a tracking pixel.
- A protocol-relative link (``href="//host/x"``, or ``/\\host/x``, which browsers read the
  same) gets ``https:``, so a feed reader does not resolve it against its own scheme or address.
- Root-relative links and images stay root-relative; ``absolutize_urls`` makes them absolute for
  feeds.
- An image needs a description (``alt``) for readers who cannot see it: the body's form refuses
  one without (``require_image_descriptions``), and the sanitizer drops any that still comes in
  another way. Images from the media library (``LIBRARY_FOLDER``) load lazily.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

# Where the media library keeps the images editors put in bodies (models/library.py).
LIBRARY_FOLDER = "publications/library/"

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
# Numeric attributes and the inclusive range each may take; any other value is dropped (the element stays).
# Unbounded spans or sizes let a pasted ``colspan="99999999"`` freeze the rich-text editor.
BOUNDED_ATTRIBUTES = {
    ("td", "colspan"): (1, 50),
    ("td", "rowspan"): (1, 50),
    ("th", "colspan"): (1, 50),
    ("th", "rowspan"): (1, 50),
    ("ol", "start"): (0, 10000),
    ("img", "width"): (1, 10000),
    ("img", "height"): (1, 10000),
}
PLAIN_INTEGER = re.compile(r"[0-9]{1,6}")


def bound_attribute(element, attribute, value):
    """Return ``value`` if it is allowed on ``element``, normalized; ``None`` to drop the attribute."""
    bounds = BOUNDED_ATTRIBUTES.get((element, attribute))
    if bounds is None:
        return value
    if not PLAIN_INTEGER.fullmatch(value):
        return None
    number = int(value)
    low, high = bounds
    return str(number) if low <= number <= high else None


# Spaces, control characters and backslashes, which browsers drop or read as "/": an address
# with any of them could turn protocol-relative ("/\\host", " //host") as a browser reads it.
AMBIGUOUS_URL = re.compile(r"[\s\x00-\x1f\x7f\\]")
# What browsers drop from anywhere in an address, and what they strip from its ends.
URL_IGNORED = re.compile(r"[\t\n\r]")
URL_EDGES = "".join(map(chr, range(0x21)))


def is_own_image(src):
    """Whether an image address is this site's own: a path here, or an address on the media origin.

    A path is root-relative (``/media/x.png``, not ``//host/x.png``) or relative to the page. A
    media origin with a wildcard (any S3 bucket) is anyone's, so it does not count.
    """
    if not src or AMBIGUOUS_URL.search(src):
        return False
    try:
        parts = urlsplit(src)
    except ValueError:
        return False
    if not parts.scheme and not parts.netloc:
        return not src.startswith("//")  # "///host" has no netloc for Python, but does for browsers
    origin = getattr(settings, "MEDIA_ORIGIN", None) or ""
    return "*" not in origin and f"{parts.scheme}://{parts.netloc}".lower() == origin.rstrip("/").lower()


def with_scheme(href):
    """Return a protocol-relative ``href`` with ``https:`` (None if it names no host); others as they are."""
    address = URL_IGNORED.sub("", href).strip(URL_EDGES)
    if address[:2].replace("\\", "/") != "//":
        return href
    rest = address.lstrip("/\\")
    return f"https://{rest}" if rest else None


def filter_attribute(element, attribute, value):
    """Return an allowed attribute's value, bounded or given a scheme; ``None`` to drop it."""
    if (element, attribute) == ("img", "src"):
        return value if is_own_image(value) else None
    if attribute == "href":
        return with_scheme(value)
    if attribute == "loading":
        return value if value == "lazy" else None
    return bound_attribute(element, attribute, value)


# nh3 writes attributes double-quoted, with "<" and ">" escaped, so a tag ends at its first ">".
IMAGE_WITHOUT_SOURCE = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')
IMAGE_WITHOUT_DESCRIPTION = re.compile(r'<img(?![^>]*\salt="\s*[^"\s])[^>]*>')
IMAGE_TAG = re.compile(r"<img\s[^>]*>")
IMAGE_SRC = re.compile(r'\ssrc="([^"]*)"')


def is_library_image(src):
    """Whether an (own) image address is a media library file's."""
    try:
        path = urlsplit(src).path
    except ValueError:
        return False
    return path.startswith(urlsplit(settings.MEDIA_URL).path + LIBRARY_FOLDER)


def _load_lazily(match):
    tag = match.group(0)
    src = IMAGE_SRC.search(tag)
    if " loading=" in tag or src is None or not is_library_image(html.unescape(src.group(1))):
        return tag
    return f'{tag[:-1]} loading="lazy">'


def sanitize_html(html):
    """Return ``html`` with only the allow-listed tags, attributes and addresses left.

    An image whose address is dropped (not this site's own), or that has no description, goes
    altogether. A media library image gets ``loading="lazy"``.
    """
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
    cleaned = IMAGE_WITHOUT_DESCRIPTION.sub("", IMAGE_WITHOUT_SOURCE.sub("", cleaned))
    return IMAGE_TAG.sub(_load_lazily, cleaned) if "<img" in cleaned else cleaned


class _ImageFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def require_image_descriptions(value):
    """Refuse rich text with an image the site would show that has no description (alt text)."""
    if not value or "<img" not in value.lower():
        return
    finder = _ImageFinder()
    finder.feed(value)
    finder.close()
    for image in finder.images:
        if is_own_image(image.get("src")) and not (image.get("alt") or "").strip():
            raise ValidationError(
                _(
                    "Every image needs a description for readers who cannot see it: select the "
                    "image, press the figure button and fill in its description."
                ),
                code="image_without_description",
            )


BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|td|th|tr|pre)>|<br\s*/?>", re.IGNORECASE)
ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')
PROTOCOL_RELATIVE = re.compile(r'(\s(?:href|src)=")//')


def html_to_text(value):
    """Return the readable text of an HTML fragment: blocks kept apart, entities decoded."""
    text = html.unescape(strip_tags(BLOCK_END.sub(" ", value or "")))
    return " ".join(text.split())


def absolutize_urls(value, base):
    """Return ``value`` with root-relative links and images made absolute against ``base``.

    A protocol-relative address (left in text stored before the sanitizer gave them a scheme)
    gets ``https:``, so no feed reader resolves it against its own scheme.
    """
    value = PROTOCOL_RELATIVE.sub(r"\1https://", value or "")
    return ROOT_RELATIVE.sub(rf"\1{base.rstrip('/')}/", value)
