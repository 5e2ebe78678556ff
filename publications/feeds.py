"""RSS 2.0 and Atom 1.0 feeds for the site and for every listing: type, topic, region, expert,
any filtered listing or search (the listing's own GET parameters)."""

from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import SuspiciousFileOperation
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.links import absolute_url
from people.models import Person

from . import filters
from .models import Publication, Region, Topic
from .sanitize import absolutize_urls, html_to_text


class PublicationRss(Rss201rev2Feed):
    """RSS 2.0 with full content (content:encoded), every author (dc:creator) and update date."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:dcterms": "http://purl.org/dc/terms/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"]:
            handler.addQuickElement("dcterms:modified", rfc3339_date(item["updateddate"]))
        handler.addQuickElement("content:encoded", item["content"])


class PublicationAtom(Atom1Feed):
    """Atom 1.0 with full content and every author with a link to their page."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})


class FeedRequest:
    """What one feed request asks for: its filters, title, page and feed addresses."""

    def __init__(self, request, fixed, name, page_url, scope=None):
        self.request = request
        self.scope = scope
        form = filters.PublicationFilterForm(request.GET, fixed=fixed)
        self.filters = form.validated()
        self.name = name
        query = request.GET.urlencode()
        self.page_url = absolute_url(request, page_url + (f"?{query}" if query and not fixed else ""))
        self.feed_url = absolute_url(request, request.get_full_path())


class PublicationRssFeed(Feed):
    """The latest published pieces matching a listing's filters, newest first."""

    feed_type = PublicationRss
    author_name = settings.INSTITUTION_NAME
    language = "en"

    def get_object(self, request, scope=None, slug=None, kind=None):
        # The request-specific state lives on this object, never on the shared Feed instance.
        fixed, name, page_url = {}, _("Policy Analysis"), reverse("publications:list")
        if scope == "topic":
            term = get_object_or_404(Topic, slug=slug)
            fixed, name, page_url = {"topic": [term]}, term.name, term.get_absolute_url()
        elif scope == "region":
            term = get_object_or_404(Region, slug=slug)
            fixed, name, page_url = {"region": [term]}, term.name, term.get_absolute_url()
        elif scope == "expert":
            person = get_object_or_404(Person, slug=slug)
            fixed, name, page_url = {"expert": [person]}, person.name, person.get_absolute_url()
        return FeedRequest(request, fixed, name, page_url, scope)

    def title(self, obj):
        parts = [str(obj.name)]
        for key in ("type", "topic", "region", "expert"):
            if obj.filters.get(key) and key != obj.scope:
                parts.append(" / ".join(str(term) for term in obj.filters[key]))
        if obj.filters.get("q"):
            parts.append(_("“%s”") % obj.filters["q"])
        return f"{settings.INSTITUTION_NAME}: {' · '.join(parts)}"

    def description(self, obj):
        return _("The latest analysis from %(institution)s: %(name)s.") % {
            "institution": settings.INSTITUTION_FULL_NAME,
            "name": obj.name,
        }

    def subtitle(self, obj):
        return self.description(obj)

    def link(self, obj):
        return obj.page_url

    def feed_url(self, obj):
        return obj.feed_url

    def items(self, obj):
        queryset = filters.apply(Publication.objects.published(), obj.filters).newest_first()
        items = list(queryset.with_cards().with_terms()[: settings.FEED_ITEMS])
        base = absolute_url(obj.request, "")
        for item in items:
            item.feed_link = base + item.get_absolute_url()
            item.feed_guid = base + item.get_short_url()
            item.feed_content = absolutize_urls(item.body, base)
            item.feed_authors = [
                (a.person.name, base + a.person.get_absolute_url()) for a in item.ordered_authorships
            ]
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
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [tag.name for tag in (*item.topics.all(), *item.regions.all(), *item.tags.all())]

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
        return {"authors": item.feed_authors, "content": item.feed_content}


class PublicationAtomFeed(PublicationRssFeed):
    feed_type = PublicationAtom


def feed_view(scope=None):
    """Return a view serving a scope's RSS or Atom feed (scope ``None``: the listing's filters)."""
    feeds = {"rss": PublicationRssFeed(), "atom": PublicationAtomFeed()}

    def view(request, kind, slug=None):
        return feeds[kind](request, scope=scope, slug=slug)

    return view
