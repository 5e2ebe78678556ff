"""RSS 2.0 and Atom 1.0 feeds for the site and for every listing: type, topic, region, expert,
any filtered listing or search (the listing's own GET parameters).

A feed whose filters are well formed but name a topic, region, expert or type that no longer
exists (renamed, removed) is a valid feed of nothing that says so, not an error page: a feed
reader keeps polling it and shows the reason. A malformed filter (a bad date) is still a 400.
"""

import mimetypes
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import SuspiciousFileOperation
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from core import pictures
from core.links import absolute_url
from core.purge import show
from people.models import Person

from . import feeds_describe as words
from . import filters
from .feeds_generators import ChannelImages, Picture, PublicationAtom, PublicationRss, Term
from .models import Publication, Region, Topic
from .sanitize import absolutize_urls, html_to_text

SCOPES = {
    "topic": (Topic, gettext_lazy("topic")),
    "region": (Region, gettext_lazy("region")),
    "expert": (Person, gettext_lazy("expert")),
}
ICON_SIZE = 144  # static/img/feed-icon.png, square: the widest image RSS allows


def only_gone_values(form):
    """Whether every problem of an invalid form is a facet value that names nothing (anymore)."""
    errors = form.errors.as_data()
    return all(
        field in form.FACETS and all(error.code == "invalid_choice" for error in field_errors)
        for field, field_errors in errors.items()
    )


def gone_value(kind, slug):
    message = filters.SlugChoiceField.default_error_messages["invalid_choice"]
    return str(message) % {"kind": kind, "value": slug[:100]}


class FeedRequest:
    """What one feed request asks for: its filters (or why they name nothing), and its addresses."""

    def __init__(self, request, scope=None, slug=None):
        self.request = request
        self.base = absolute_url(request, "")
        self.gone = []  # what the filters name that does not exist: the feed is then empty
        fixed, page_url = self._scope(scope, slug)
        form = filters.PublicationFilterForm(request.GET, fixed=fixed)
        if not form.is_valid() and only_gone_values(form):
            self.gone += [str(message) for messages in form.errors.values() for message in messages]
            self.filters = {}
        else:
            self.filters = form.validated()  # a malformed filter: a 400 that says why
        query = request.GET.urlencode()
        # The lists it follows: one term's or person's alone, or the listings' (core/purge.py).
        scoped = fixed and not query and not self.gone
        show(*(f"list-{scope}-{term.pk}" for term in fixed[scope]) if scoped else ["list"])
        self.page_url = self.base + page_url + (f"?{query}" if query and not fixed else "")
        self.feed_url = self.base + request.get_full_path()

    def _scope(self, scope, slug):
        if scope is None:
            return {}, reverse("publications:list")
        model, kind = SCOPES[scope]
        found = model.objects.filter(slug=slug).first()
        if found is None:
            self.gone.append(gone_value(kind, slug))
            return {}, reverse("publications:feeds")
        return {scope: [found]}, found.get_absolute_url()

    def schemes(self):
        """Return the address of each vocabulary, the scheme its terms are named in."""
        listing = self.base + reverse("publications:list")
        return {
            "type": f"{listing}?type=",
            "topic": self.base + reverse("publications:topics"),
            "region": self.base + reverse("publications:regions"),
            "tag": f"{listing}#tags",
        }

    def images(self):
        return ChannelImages(
            icon=self.base + static("img/feed-icon.png"),
            icon_size=ICON_SIZE,
            logo=self.base + static("img/feed-logo.png"),
        )


def lead_picture(item, base):
    """Return the piece's lead image as a feed shows it, or None.

    Its widest JPEG rendition (at most 1280 px, the source's ratio, never enlarged: see
    core.pictures), named from the stored name and size alone: no file is opened, no query made.
    An image whose size is unknown has no renditions: the upload itself then.
    """
    url = item.image_url  # None for a stored name that is not safe
    if not url:
        return None
    rendition = pictures.picture_data(item.image.name, width=item.image_width, height=item.image_height)
    if rendition is None:
        mime_type = mimetypes.guess_type(item.image.name)[0] or "application/octet-stream"
        return Picture(url=urljoin(base + "/", url), mime_type=mime_type, alt=item.image_alt)
    return Picture(
        url=urljoin(base + "/", rendition.src),
        mime_type="image/jpeg",
        width=rendition.width,
        height=rendition.height,
        alt=item.image_alt,
    )


def entry_terms(item, schemes):
    terms = [Term(schemes["type"], item.type.slug, item.type.name)]
    for key, manager in (("topic", item.topics), ("region", item.regions), ("tag", item.tags)):
        terms.extend(Term(schemes[key], term.slug, term.name) for term in manager.all())
    return terms


class PublicationRssFeed(Feed):
    """The latest published pieces matching a listing's filters, newest first."""

    feed_type = PublicationRss
    author_name = settings.INSTITUTION_NAME
    language = "en"

    def get_object(self, request, scope=None, slug=None, kind=None):
        # The request-specific state lives on this object, never on the shared Feed instance.
        return FeedRequest(request, scope, slug)

    def title(self, obj):
        return words.gone_title() if obj.gone else words.title(obj.filters)

    def description(self, obj):
        if obj.gone:
            return words.gone_subtitle(obj.gone, obj.base + reverse("publications:feeds"))
        return words.subtitle(obj.filters)

    def subtitle(self, obj):
        return self.description(obj)

    def link(self, obj):
        return obj.page_url

    def feed_url(self, obj):
        return obj.feed_url

    def feed_extra_kwargs(self, obj):
        return {"images": obj.images()}

    def items(self, obj):
        if obj.gone:
            return []
        queryset = filters.apply(Publication.objects.published(), obj.filters).newest_first()
        items = list(queryset.with_cards().with_terms()[: settings.FEED_ITEMS])
        base, schemes = obj.base, obj.schemes()
        for item in items:
            item.feed_link = base + item.get_absolute_url()
            item.feed_guid = base + item.get_short_url()
            item.feed_content = absolutize_urls(item.body, base)
            item.feed_authors = [
                (a.person.name, base + a.person.get_absolute_url()) for a in item.ordered_authorships
            ]
            item.feed_terms = entry_terms(item, schemes)
            item.feed_picture = lead_picture(item, base)
            pdf_url = item.pdf_url  # None for a stored name that is not safe: no enclosure then
            # Absolute already when media live in a bucket or on a CDN; else a path on this site.
            item.feed_enclosure_url = urljoin(base + "/", pdf_url) if pdf_url else None
        return items

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.feed_link

    def item_description(self, item):
        return item.summary or Truncator(html_to_text(item.body)).words(60)

    def item_guid(self, item):
        return item.feed_guid

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        """The piece's last real change (a save that changes nothing leaves it), never before it went out."""
        return max(item.updated_at, item.publish_at)

    def item_enclosure_url(self, item):
        return item.feed_enclosure_url

    def item_enclosure_length(self, item):
        if not item.feed_enclosure_url:
            return None
        try:
            return item.pdf.size
        except (OSError, SuspiciousFileOperation, ValueError):
            return 0  # the file is missing from storage, or cannot be looked up: no length, no failure

    item_enclosure_mime_type = "application/pdf"

    def item_extra_kwargs(self, item):
        return {
            "authors": item.feed_authors,
            "content": item.feed_content,
            "terms": item.feed_terms,
            "picture": item.feed_picture,
        }


class PublicationAtomFeed(PublicationRssFeed):
    feed_type = PublicationAtom


def feed_view(scope=None):
    """Return a view serving a scope's RSS or Atom feed (scope ``None``: the listing's filters)."""
    feeds = {"rss": PublicationRssFeed(), "atom": PublicationAtomFeed()}

    def view(request, kind, slug=None):
        return feeds[kind](request, scope=scope, slug=slug)

    return view
