"""Listings: Policy Analysis with facets and search, the year archive, topic and region pages."""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.purge import show

from .. import filters, search
from ..models import Region, Topic
from .base import PublishedMixin

FACET_LABELS = [("type", _("Type")), ("topic", _("Topic")), ("region", _("Region")), ("expert", _("Expert"))]

# From this offset on, a page costs one more query but skips reading every row before it.
DEFERRED_JOIN_FROM = 1000


class CountedPaginator(Paginator):
    """A paginator told its count (from the facet counts) instead of running COUNT(*) again."""

    def __init__(self, object_list, per_page, known_count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self):
        return self.known_count

    def page(self, number):
        """Return a page; deep ones find their ids on the index alone, then fetch just those rows."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEFERRED_JOIN_FROM:
            return super().page(number)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


def feed_query(params, ignored=()):
    """Return the query string a page's own feeds take: its filters, without page or sort.

    ``ignored``: parameters the page left out (a mistyped date), which the feed leaves out too.
    """
    dropped = {"page", "sort", *ignored}
    kept = [(key, value) for key, values in params.lists() if key not in dropped for value in values]
    return urlencode(kept)


def without_empty_params(request):
    """Return the address without its empty parameters, or None when it has none.

    A form submitted without JavaScript sends every field, filled or not (``?q=&from=&to=``);
    the same listing then has one address, for bookmarks, feeds and the page cache.
    """
    pairs = [(key, value) for key, values in request.GET.lists() for value in values]
    kept = [(key, value) for key, value in pairs if value.strip()]
    if len(kept) == len(pairs):
        return None
    query = urlencode(kept)
    return escape_uri_path(request.path) + (f"?{query}" if query else "")


class FilteredListView(PublishedMixin, ListView):
    """A list of published pieces narrowed by the filter form (and any filters fixed by the URL)."""

    context_object_name = "publications"
    paginate_by = settings.PUBLICATIONS_PER_PAGE
    with_facets = False
    feed_name = "publications:list-feed"
    facets = None

    def fixed_filters(self):
        return {}

    def get(self, request, *args, **kwargs):
        canonical = without_empty_params(request)
        if canonical is not None:
            return HttpResponseRedirect(canonical)
        # Listings, with their facets and counts, change whenever a piece joins or leaves one.
        show("list", *self.lists_shown())
        self.form = filters.PublicationFilterForm(request.GET, fixed=self.fixed_filters())
        self.filters = self.form.validated(lenient=True)
        if not self.shows_facets():
            # A page drawing the filter form shows a mistyped date beside its field; elsewhere
            # no form made the address, so a bad date is a 400 like any other bad parameter.
            self.form.validated()
        return super().get(request, *args, **kwargs)

    def shows_facets(self):
        return self.with_facets

    def lists_shown(self):
        return ["search"] if self.request.GET.get("q") else []

    def get_queryset(self):
        base = self.published()
        queryset = filters.ordered(filters.apply(base, self.filters), self.filters)
        if self.shows_facets():
            self.facets = filters.cached_facet_counts(base, self.filters)
        if self.filters.get("q"):
            queryset = search.with_snippets(queryset, self.filters["q"])
        return queryset.with_cards()

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.facets is None:
            return super().get_paginator(queryset, per_page, **kwargs)
        # The type facet's counts add up to the results: no COUNT(*) of its own.
        types = self.facets["type"]["values"]
        total = sum(v["count"] for v in types if v["active"] or not self.filters.get("type"))
        return CountedPaginator(queryset, per_page, total, **kwargs)

    def feed_urls(self):
        query = feed_query(self.request.GET, self.form.ignored_params)
        suffix = f"?{query}" if query else ""
        return {
            kind: reverse(self.feed_name, kwargs={"kind": kind, **self.feed_kwargs()}) + suffix
            for kind in ("rss", "atom")
        }

    def feed_kwargs(self):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.filters.get("q", "")
        if query:
            for publication in context["publications"]:
                publication.snippet = search.snippet(publication, query)
        context.update(
            form=self.form,
            filters=self.filters,
            facets=self.facets,
            query=query,
            query_truncated=self.form.truncated,
            query_has_terms=search.has_terms(query),
            feeds=self.feed_urls(),
            sorts=filters.PublicationFilterForm.SORTS,
            facet_labels=FACET_LABELS,
        )
        return context


class PublicationListView(FilteredListView):
    """Policy Analysis: every published piece, with facets, date range, sort and text search."""

    template_name = "publications/publication_list.html"
    extra_context = {"nav": "analysis"}
    with_facets = True


class SearchView(PublicationListView):
    """Full-text search across the archive (the listing's text facet, with a page of its own)."""

    template_name = "publications/search.html"
    extra_context = {"nav": None}

    def shows_facets(self):
        """Without a query the page shows no results, so it counts none."""
        return bool(self.filters.get("q"))

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self.filters.get("q") else queryset.none()


class YearArchiveView(PublicationListView):
    """Everything published in one year."""

    def fixed_filters(self):
        year = self.kwargs["year"]
        if not 1900 <= year <= timezone.localdate().year + 1:
            raise Http404
        return {"start": datetime.date(year, 1, 1), "end": datetime.date(year, 12, 31)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.kwargs["year"], **kwargs)


class TaxonomyDetailView(FilteredListView):
    """A topic's or region's page: its description and its pieces."""

    template_name = "publications/taxonomy_detail.html"
    model = None
    facet = ""
    kind = ""

    def fixed_filters(self):
        self.term = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return {self.facet: [self.term]}

    def feed_kwargs(self):
        return {"slug": self.term.slug}

    def get_context_data(self, **kwargs):
        return super().get_context_data(term=self.term, kind=self.kind, **kwargs)


class TopicDetailView(TaxonomyDetailView):
    model = Topic
    facet = "topic"
    kind = _("Topic")
    feed_name = "publications:topic-feed"
    extra_context = {"nav": "topics"}


class RegionDetailView(TaxonomyDetailView):
    model = Region
    facet = "region"
    kind = _("Region")
    feed_name = "publications:region-feed"
    extra_context = {"nav": "regions"}
