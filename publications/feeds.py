"""Site-wide RSS 2.0 and Atom 1.0 feeds of the latest published pieces."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .links import absolute_url
from .models import Publication
from .sanitize import absolutize_urls, html_to_text


class PublicationRss(Rss201rev2Feed):
    """RSS 2.0 with full content (content:encoded) and every author (dc:creator)."""

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


class LatestRssFeed(Feed):
    feed_type = PublicationRss
    title = _("%(institution)s: Policy Analysis") % {"institution": settings.INSTITUTION_NAME}
    description = _("The latest analysis from %(institution)s.") % {
        "institution": settings.INSTITUTION_FULL_NAME
    }
    author_name = settings.INSTITUTION_NAME
    language = "en"

    def get_object(self, request, *args, **kwargs):
        # The request is per call, so links computed from it never leak between requests.
        return request

    def link(self, request):
        return absolute_url(request, reverse("publications:list"))

    def feed_url(self, request):
        return absolute_url(request, request.path)

    def items(self, request):
        items = list(
            Publication.objects.published()
            .with_cards()
            .prefetch_related("tags")
            .newest_first()[: settings.FEED_ITEMS]
        )
        base = absolute_url(request, "")
        for item in items:
            item.feed_link = base + item.get_absolute_url()
            item.feed_guid = base + item.get_short_url()
            item.feed_content = absolutize_urls(item.body, base)
            item.feed_authors = [
                (a.person.name, base + a.person.get_absolute_url()) for a in item.ordered_authorships
            ]
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

    def item_extra_kwargs(self, item):
        return {"authors": item.feed_authors, "content": item.feed_content}


class LatestAtomFeed(LatestRssFeed):
    feed_type = PublicationAtom
    subtitle = LatestRssFeed.description
