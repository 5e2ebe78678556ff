"""Site-wide RSS 2.0 and Atom 1.0 feeds of the latest published pieces."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Publication


class PublicationRss(Rss201rev2Feed):
    """RSS 2.0 with full content (content:encoded) and every author (dc:creator)."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
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
    link = reverse_lazy("publications:list")
    description = _("The latest analysis from %(institution)s.") % {
        "institution": settings.INSTITUTION_FULL_NAME
    }
    author_name = settings.INSTITUTION_NAME
    language = "en"

    def get_object(self, request, *args, **kwargs):
        # The request is per call, so links computed from it never leak between requests.
        return request

    def items(self, request):
        items = list(
            Publication.objects.published()
            .with_cards()
            .prefetch_related("tags")
            .newest_first()[: settings.FEED_ITEMS]
        )
        for item in items:
            item.feed_guid = request.build_absolute_uri(item.get_short_url())
            item.feed_authors = [
                (a.person.name, request.build_absolute_uri(a.person.get_absolute_url()))
                for a in item.ordered_authorships
            ]
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or Truncator(strip_tags(item.body)).words(60)

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
        return {"authors": item.feed_authors, "content": item.body}


class LatestAtomFeed(LatestRssFeed):
    feed_type = PublicationAtom
    subtitle = LatestRssFeed.description
