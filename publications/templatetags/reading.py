"""The piece page's reading aids: reading time, contents, share links, linked bio lines."""

from urllib.parse import quote, urlencode

from django import template
from django.utils.translation import gettext, ngettext

from core.links import absolute_url
from publications import reading

register = template.Library()


@register.filter
def reading_time(publication):
    """Return "6 min read" for a piece (or for a body's HTML)."""
    minutes = reading.reading_minutes(getattr(publication, "body", publication))
    return ngettext("%(minutes)s min read", "%(minutes)s min read", minutes) % {"minutes": minutes}


@register.simple_tag
def body_contents(body):
    """Return the sanitized body with heading ids, and its headings (``reading.Contents``)."""
    return reading.contents(body)


@register.simple_tag
def linked_bio_line(authorship, preview=False):
    """Return an author's bio line (the one it would get, in a preview), its fellowship linked.

    Reads the author's prefetched appointments: no query.
    """
    line = authorship.display_bio_line if preview else authorship.bio_line
    fellowships = [a.fellowship for a in authorship.person.appointments.all()]
    return reading.linked_bio_line(line, fellowships) if line else ""


def _query(params):
    return urlencode(params, quote_via=quote)


@register.simple_tag(takes_context=True)
def share_links(context, publication):
    """Return (key, name, prefix, address) for sharing a piece by email and on four networks.

    A link reads "<prefix> <name>" ("Share on X") to assistive technology, and shows the name.

    Plain addresses, no script of theirs: the email carries the stable short link, the networks
    the canonical address (where the piece's Open Graph card is).
    """
    request = context["request"]
    url = absolute_url(request, publication.get_absolute_url())
    short = absolute_url(request, publication.get_short_url())
    title = publication.title
    on = gettext("Share on")
    return [
        (
            "email",
            gettext("Email"),
            gettext("Share by"),
            "mailto:?" + _query({"subject": title, "body": short}),
        ),
        ("x", "X", on, "https://x.com/intent/post?" + _query({"url": url, "text": title})),
        (
            "linkedin",
            "LinkedIn",
            on,
            "https://www.linkedin.com/sharing/share-offsite/?" + _query({"url": url}),
        ),
        ("facebook", "Facebook", on, "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url})),
        ("bluesky", "Bluesky", on, "https://bsky.app/intent/compose?" + _query({"text": f"{title} {url}"})),
    ]
