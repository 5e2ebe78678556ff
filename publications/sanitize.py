"""Allow-list HTML sanitizing for every stored rich-text field, and the text derived from it."""

import html
import re

import nh3
from django.utils.html import strip_tags

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
    "img": {"src", "alt", "width", "height"},
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


def sanitize_html(html):
    """Return ``html`` with only the allow-listed tags, attributes and URL schemes left."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=bound_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|td|th|tr|pre)>|<br\s*/?>", re.IGNORECASE)
ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def html_to_text(value):
    """Return the readable text of an HTML fragment: blocks kept apart, entities decoded."""
    text = html.unescape(strip_tags(BLOCK_END.sub(" ", value or "")))
    return " ".join(text.split())


def absolutize_urls(value, base):
    """Return ``value`` with root-relative links and images made absolute against ``base``."""
    return ROOT_RELATIVE.sub(rf"\1{base.rstrip('/')}/", value or "")
