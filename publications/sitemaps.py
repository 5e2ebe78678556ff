"""XML sitemaps of every public page: pieces, people, fellowships, topics and regions.

Only ``Publication.objects.published()`` feeds them: a draft, a piece in review, a scheduled or an
archived piece never appears, nor does its date leak into another page's ``lastmod``. Each sitemap
page costs a fixed number of queries (dates come from annotations, not a query per item).
"""

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.urls import reverse

from core.sitemaps import SiteSitemap
from people.models import Fellowship, Person

from .models import Publication, Region, Topic


def _latest(*values):
    """Return the latest of the given datetimes, ignoring None (None when all are None)."""
    return max((value for value in values if value is not None), default=None)


def _newest_published():
    return Publication.objects.published().aggregate(latest=Max("publish_at"))["latest"]


def _newest_publish_at(**lookup):
    """A subquery: the publish time of the newest published piece matching ``lookup``."""
    return Subquery(
        Publication.objects.published().filter(**lookup).order_by("-publish_at").values("publish_at")[:1]
    )


class PublicationSitemap(SiteSitemap):
    limit = 5000

    def items(self):
        return Publication.objects.published().only("slug", "publish_at", "updated_at").newest_first()

    def location(self, item):
        # The piece's address (get_absolute_url) without reversing it 5,000 times a page: a
        # slug is URL-safe, so it goes in the one reversed address as it is.
        if not hasattr(self, "_around"):
            self._around = reverse("publications:detail", kwargs={"slug": "-"}).rsplit("-", 1)
        return item.slug.join(self._around)

    def lastmod(self, item):
        # A scheduled piece saved before it went public changed for readers when it went public.
        return _latest(item.updated_at, item.publish_at)

    def get_latest_lastmod(self):
        dates = Publication.objects.published().aggregate(
            updated=Max("updated_at"), published=Max("publish_at")
        )
        return _latest(dates["updated"], dates["published"])


class ExpertSitemap(SiteSitemap):
    """Listed experts, and anyone with a published piece (their byline links to their page)."""

    def items(self):
        # Whether a person has a published piece is an EXISTS, which stops at the first; the
        # newest one's time is only read for the page's lastmod (a count leaves it out).
        has_pieces = Exists(
            Publication.objects.published().filter(authorships__person=OuterRef("pk")).values("pk")
        )
        return (
            Person.objects.filter(Q(is_expert=True) | Q(has_pieces))
            .annotate(newest_publish_at=_newest_publish_at(authorships__person=OuterRef("pk")))
            .only("slug", "updated_at")
            .order_by("sort_name", "name", "pk")
        )

    def lastmod(self, item):
        # The page lists the person's pieces, so a new piece changes it too.
        return _latest(item.updated_at, item.newest_publish_at)

    def get_latest_lastmod(self):
        # Bounded by the newest piece anywhere: exact per page below, cheap for the index.
        updated = Person.objects.aggregate(latest=Max("updated_at"))["latest"]
        return _latest(updated, _newest_published())


class FellowshipSitemap(SiteSitemap):
    """Every fellowship page. It lists holders, not pieces, and nothing records when it changed,
    so it carries no lastmod."""

    def items(self):
        return Fellowship.objects.only("slug").order_by("name", "pk")


class TermSitemap(SiteSitemap):
    """Topic or region pages; lastmod is the publish time of the newest published piece on it."""

    model = None
    through_name = ""

    def items(self):
        newest = _newest_publish_at(**{f"{self.through_name}__tag": OuterRef("pk")})
        return self.model.objects.annotate(newest_publish_at=newest).only("slug").order_by("name", "pk")

    def lastmod(self, item):
        return item.newest_publish_at

    def get_latest_lastmod(self):
        # Bounded by the newest piece anywhere: exact per page below, cheap for the index.
        return _newest_published()


class TopicSitemap(TermSitemap):
    model = Topic
    through_name = "tagged_topics"


class RegionSitemap(TermSitemap):
    model = Region
    through_name = "tagged_regions"


# Classes, not instances: the sitemap views instantiate one per request, so nothing a request
# computes (Django stores latest_lastmod on the instance) carries over to the next.
SITEMAPS = {
    "publications": PublicationSitemap,
    "experts": ExpertSitemap,
    "fellowships": FellowshipSitemap,
    "topics": TopicSitemap,
    "regions": RegionSitemap,
}
