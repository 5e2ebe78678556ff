import json

from django.db import connection
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import DetailView, ListView

from core.links import absolute_url
from core.purge import show
from people.models import Appointment, Person

from .. import citations, filters
from ..models import (
    Publication,
    PublicationType,
    Region,
    SlugRedirect,
    TaggedRegion,
    TaggedTopic,
    Topic,
)
from .base import PublishedMixin


def home(request):
    show("list")
    published = Publication.objects.published().newest_first()
    featured_ids = list(published.filter(is_featured=True).values_list("pk", flat=True)[:3])
    latest_ids = list(published.exclude(pk__in=featured_ids).values_list("pk", flat=True)[:9])
    # One fetch (with its prefetches) for both lists, whatever their sizes.
    pieces = published.with_cards().in_bulk(featured_ids + latest_ids)
    return render(
        request,
        "publications/home.html",
        {
            "featured": [pieces[pk] for pk in featured_ids],
            "latest": [pieces[pk] for pk in latest_ids],
            "types": PublicationType.objects.all(),
        },
    )


class PublicationDetailView(PublishedMixin, DetailView):
    """A piece. Staff who may work on an unpublished piece see it here as a marked preview."""

    template_name = "publications/publication_detail.html"
    context_object_name = "publication"
    extra_context = {"nav": "analysis"}

    def get_queryset(self):
        # The authors' appointments and fellowships link the fellowship each bio line names.
        appointments = Prefetch(
            "authorships__person__appointments", queryset=Appointment.objects.select_related("fellowship")
        )
        return (
            Publication.objects.visible_to(self.request.user)
            .with_cards()
            .with_terms()
            .prefetch_related(appointments)
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = SlugRedirect.objects.filter(old_slug=kwargs["slug"]).select_related("publication").first()
            if moved and moved.publication.is_public:
                return redirect(moved.publication, permanent=True)
            raise

    def get_object(self, queryset=None):
        publication = super().get_object(queryset)
        self.preview = not publication.is_public
        return publication

    def get_context_data(self, **kwargs):
        url = absolute_url(self.request, self.object.get_absolute_url())
        authorships = self.object.ordered_authorships
        author = authorships[0].person if authorships else None
        related, more = self.further_reading(author)
        return super().get_context_data(
            preview=self.preview,
            related=related,
            more_author=author,
            more_from_author=more,
            citation_text=citations.chicago(self.object, url),
            **kwargs,
        )

    def further_reading(self, author, related_limit=4, more_limit=3):
        """Return the related pieces and the first author's other newest pieces, none twice.

        One query finds the candidates of each list; one fetch (with its prefetch) reads both,
        whatever the number of authors or terms.
        """
        shared = self.shared_terms()
        by_author = []
        if author:
            by_author = list(
                self.published()
                .filter(authorships__person=author)
                .exclude(pk=self.object.pk)
                .newest_first()
                .values_list("pk", flat=True)[: related_limit + more_limit]
            )
        pieces = self.published().with_cards().in_bulk([*shared, *by_author])
        related = sorted(
            (pieces[pk] for pk in shared if pk in pieces),
            key=lambda p: (-shared[p.pk], -p.publish_at.timestamp()),
        )[:related_limit]
        shown = {p.pk for p in related}
        more = [pieces[pk] for pk in by_author if pk in pieces and pk not in shown][:more_limit]
        return related, more

    def shared_terms(self, candidates=40):
        """Return {piece id: number of topics and regions it shares with this piece}, most first.

        One grouped query over the two link tables finds the pieces sharing the most terms (ties
        to the newest ids); which of them are published is for the caller's fetch.
        """
        piece = self.object
        topic_ids = [t.pk for t in piece.topics.all()] or [0]
        region_ids = [r.pk for r in piece.regions.all()] or [0]
        topics, regions = TaggedTopic._meta.db_table, TaggedRegion._meta.db_table
        in_topics, in_regions = ", ".join(["%s"] * len(topic_ids)), ", ".join(["%s"] * len(region_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT content_object_id, COUNT(*) AS shared FROM (
                        SELECT content_object_id FROM {topics} WHERE tag_id IN ({in_topics})
                        UNION ALL
                        SELECT content_object_id FROM {regions} WHERE tag_id IN ({in_regions})
                    ) AS links
                    WHERE content_object_id <> %s
                    GROUP BY content_object_id ORDER BY shared DESC, content_object_id DESC LIMIT %s""",
                [*topic_ids, *region_ids, piece.pk, candidates],
            )
            return dict(cursor.fetchall())

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.preview:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


CITATION_FORMATS = {
    "bibtex": (citations.bibtex, "application/x-bibtex", "bib"),
    "ris": (citations.ris, "application/x-research-info-systems", "ris"),
    "csl-json": (
        lambda piece, url: json.dumps(citations.csl_json(piece, url), ensure_ascii=False, indent=2),
        "application/vnd.citationstyles.csl+json",
        "json",
    ),
}


def citation(request, slug, format):
    """Download a published piece's citation as BibTeX, RIS or CSL-JSON."""
    if format not in CITATION_FORMATS:
        raise Http404
    piece = get_object_or_404(Publication.objects.published().with_cards(), slug=slug)
    render_citation, content_type, extension = CITATION_FORMATS[format]
    text = render_citation(piece, absolute_url(request, piece.get_absolute_url()))
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{piece.slug}.{extension}"'
    return response


def short_link(request, pk):
    """Redirect a stable short link to the piece's current address."""
    publication = get_object_or_404(Publication.objects.published().only("slug"), pk=pk)
    return redirect(publication, permanent=True)


class TaxonomyListView(PublishedMixin, ListView):
    """Every topic or region with its count of published pieces."""

    template_name = "publications/taxonomy_list.html"
    context_object_name = "terms"
    model = None
    heading = ""

    def get_queryset(self):
        show("list", self.model.page_key)  # every term, with its count
        return self.model.objects.order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(heading=self.heading, **kwargs)
        counts = filters.term_counts(self.model.tagged_items.rel.related_model, self.published())
        for term in context["terms"]:
            term.count = counts.get(term.pk, 0)
            # Worded here: a {% blocktranslate count %} for each of 1,000 terms costs 100 ms.
            term.count_label = ngettext("%(count)s piece", "%(count)s pieces", term.count) % {
                "count": number_format(term.count, force_grouping=True)
            }
        return context


class TopicListView(TaxonomyListView):
    model = Topic
    extra_context = {"nav": "topics"}
    heading = gettext_lazy("Topics")


class RegionListView(TaxonomyListView):
    model = Region
    extra_context = {"nav": "regions"}
    heading = gettext_lazy("Regions")


def feed_index(request):
    """List the site's feeds: everything, and per type, topic, region and expert."""
    show("list")
    return render(
        request,
        "publications/feed_index.html",
        {
            "types": PublicationType.objects.all(),
            "topics": Topic.objects.order_by("name"),
            "regions": Region.objects.order_by("name"),
            "experts": Person.objects.experts(),
        },
    )
