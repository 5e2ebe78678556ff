import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from config.text import strip_control_characters

from . import rules
from .models import Authorship, Publication, PublicationType, Region, Topic

SLUG = re.compile(r"[-\w]{1,100}")


def home(request):
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


class PublishedMixin:
    """Start from the one public gate and fetch what cards show."""

    def get_queryset(self):
        return Publication.objects.published().with_cards().newest_first()


class PublicationListView(PublishedMixin, ListView):
    """The Policy Analysis listing, newest first, optionally narrowed to one type."""

    template_name = "publications/publication_list.html"
    context_object_name = "publications"
    extra_context = {"nav": "analysis"}
    paginate_by = settings.PUBLICATIONS_PER_PAGE

    def get_queryset(self):
        queryset = super().get_queryset()
        self.active_type = None
        type_slug = self.request.GET.get("type")
        if type_slug:
            if SLUG.fullmatch(type_slug):
                self.active_type = PublicationType.objects.filter(slug=type_slug).first()
            if self.active_type is None:
                raise BadRequest(
                    _("There is no publication type called “%s”.") % strip_control_characters(type_slug[:100])
                )
            queryset = queryset.filter(type=self.active_type)
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            types=PublicationType.objects.all(), active_type=self.active_type, **kwargs
        )


class PublicationDetailView(DetailView):
    """A piece. Staff who may work on an unpublished piece see it here as a marked preview."""

    template_name = "publications/publication_detail.html"
    context_object_name = "publication"
    extra_context = {"nav": "analysis"}

    def get_queryset(self):
        return Publication.objects.select_related("type").prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("person")),
            "topics",
            "regions",
            "tags",
        )

    def get_object(self, queryset=None):
        self.preview = False
        try:
            return super().get_object(self.get_queryset().published())
        except Http404:
            if not self.request.user.is_staff:
                raise
        publication = super().get_object(self.get_queryset())
        if not rules.can_view_unpublished(self.request.user, publication):
            raise Http404
        self.preview = True
        return publication

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.preview:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def short_link(request, pk):
    """Redirect a stable short link to the piece's current address."""
    publication = get_object_or_404(Publication.objects.published().only("slug"), pk=pk)
    return redirect(publication, permanent=True)


class TaxonomyListView(ListView):
    """Every topic or region with its count of published pieces."""

    template_name = "publications/taxonomy_list.html"
    context_object_name = "terms"
    model = None
    heading = ""

    def get_queryset(self):
        return self.model.objects.order_by("name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)


class TaxonomyDetailView(PublishedMixin, ListView):
    """A topic's or region's page: its description and its pieces."""

    template_name = "publications/taxonomy_detail.html"
    context_object_name = "publications"
    paginate_by = settings.PUBLICATIONS_PER_PAGE
    model = None
    through_name = ""
    kind = ""

    def get_queryset(self):
        self.term = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return super().get_queryset().filter(**{f"{self.through_name}__tag": self.term})

    def get_context_data(self, **kwargs):
        return super().get_context_data(term=self.term, kind=self.kind, **kwargs)


class TopicListView(TaxonomyListView):
    model = Topic
    extra_context = {"nav": "topics"}
    heading = gettext_lazy("Topics")


class RegionListView(TaxonomyListView):
    model = Region
    extra_context = {"nav": "regions"}
    heading = gettext_lazy("Regions")


class TopicDetailView(TaxonomyDetailView):
    model = Topic
    extra_context = {"nav": "topics"}
    through_name = "tagged_topics"
    kind = gettext_lazy("Topic")


class RegionDetailView(TaxonomyDetailView):
    model = Region
    extra_context = {"nav": "regions"}
    through_name = "tagged_regions"
    kind = gettext_lazy("Region")


def favicon(request):
    """Send browsers asking for /favicon.ico to the site's icon."""
    return redirect(static("img/favicon.svg"), permanent=True)


def feed_index(request):
    return render(request, "publications/feed_index.html")


def bad_request(request, exception):
    """Render the 400 page, with the reason when it is one written for readers."""
    message = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"message": message}, status=400)
