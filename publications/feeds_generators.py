"""The feed documents: Django's RSS 2.0 and Atom 1.0 writers, with what readers and aggregators use.

Every entry carries its full content, every author, its last real change, its lead image and its
terms, each in the vocabulary it belongs to (type, topic, region or tag: ``Term.scheme``). The
channel carries the institution's mark (RSS ``<image>``, Atom ``<icon>`` and ``<logo>``).
"""

from dataclasses import dataclass

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date

MEDIA_RSS = "http://search.yahoo.com/mrss/"


@dataclass(frozen=True)
class Term:
    """One category of an entry: its vocabulary's address (``scheme``), its slug and its name."""

    scheme: str
    slug: str
    name: str


@dataclass(frozen=True)
class Picture:
    """An entry's lead image: its absolute address, media type, size in pixels and description."""

    url: str
    mime_type: str
    width: int | None = None
    height: int | None = None
    alt: str = ""

    def size_attrs(self):
        if not (self.width and self.height):
            return {}
        return {"width": str(self.width), "height": str(self.height)}


@dataclass(frozen=True)
class ChannelImages:
    """The channel's pictures: a square mark (at most 144 px wide, for RSS) and a 2:1 logo."""

    icon: str
    icon_size: int
    logo: str


class PublicationRss(Rss201rev2Feed):
    """RSS 2.0 with full content (content:encoded), every author (dc:creator), update date,
    categories with their vocabulary (domain), the lead image (media:content) and the channel image."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:dcterms": "http://purl.org/dc/terms/",
            "xmlns:media": MEDIA_RSS,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        images = self.feed["images"]
        # The RSS profile: the image's title and link are the channel's own.
        handler.startElement("image", {})
        handler.addQuickElement("url", images.icon)
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.addQuickElement("width", str(images.icon_size))
        handler.addQuickElement("height", str(images.icon_size))
        handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"]:
            handler.addQuickElement("dcterms:modified", rfc3339_date(item["updateddate"]))
        for term in item["terms"]:
            handler.addQuickElement("category", term.name, {"domain": term.scheme})
        picture = item["picture"]
        if picture:
            attrs = {"url": picture.url, "type": picture.mime_type, "medium": "image", **picture.size_attrs()}
            handler.startElement("media:content", attrs)
            if picture.alt:
                handler.addQuickElement("media:description", picture.alt, {"type": "plain"})
            handler.endElement("media:content")
        handler.addQuickElement("content:encoded", item["content"])


class PublicationAtom(Atom1Feed):
    """Atom 1.0 with full content, every author with a link to their page, categories with their
    scheme and label, the lead image (link rel="enclosure") and the channel's icon and logo."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("icon", self.feed["images"].icon)
        handler.addQuickElement("logo", self.feed["images"].logo)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        for term in item["terms"]:
            handler.addQuickElement(
                "category", None, {"term": term.slug, "scheme": term.scheme, "label": term.name}
            )
        picture = item["picture"]
        if picture:
            attrs = {"rel": "enclosure", "href": picture.url, "type": picture.mime_type}
            if picture.alt:
                attrs["title"] = picture.alt
            handler.addQuickElement("link", None, attrs)
        handler.addQuickElement("content", item["content"], {"type": "html"})
