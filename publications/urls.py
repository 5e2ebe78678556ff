from django.urls import path, register_converter

from . import views
from .feeds import feed_view


class FeedKindConverter:
    regex = "rss|atom"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class CitationFormatConverter(FeedKindConverter):
    regex = "bibtex|ris|csl-json"


register_converter(FeedKindConverter, "feed_kind")
register_converter(CitationFormatConverter, "citation_format")

app_name = "publications"

listing_feed = feed_view()

urlpatterns = [
    path("", views.home, name="home"),
    path("policy-analysis/", views.PublicationListView.as_view(), name="list"),
    path("policy-analysis/feed/<feed_kind:kind>/", listing_feed, name="list-feed"),
    path("policy-analysis/archive/<int:year>/", views.YearArchiveView.as_view(), name="year"),
    path("policy-analysis/<slug:slug>/", views.PublicationDetailView.as_view(), name="detail"),
    path("policy-analysis/<slug:slug>/cite.<citation_format:format>", views.citation, name="citation"),
    path("p/<int:pk>/", views.short_link, name="short"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("topics/", views.TopicListView.as_view(), name="topics"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("topics/<slug:slug>/feed/<feed_kind:kind>/", feed_view("topic"), name="topic-feed"),
    path("regions/", views.RegionListView.as_view(), name="regions"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region"),
    path("regions/<slug:slug>/feed/<feed_kind:kind>/", feed_view("region"), name="region-feed"),
    path("experts/<slug:slug>/", views.ExpertDetailView.as_view(), name="expert"),
    path("experts/<slug:slug>/feed/<feed_kind:kind>/", feed_view("expert"), name="expert-feed"),
    path("feeds/", views.feed_index, name="feeds"),
    path("feeds/rss/", listing_feed, {"kind": "rss"}, name="feed-rss"),
    path("feeds/atom/", listing_feed, {"kind": "atom"}, name="feed-atom"),
]
