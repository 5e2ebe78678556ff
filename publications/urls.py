from django.urls import path

from . import feeds, views

app_name = "publications"

urlpatterns = [
    path("", views.home, name="home"),
    path("policy-analysis/", views.PublicationListView.as_view(), name="list"),
    path("policy-analysis/<slug:slug>/", views.PublicationDetailView.as_view(), name="detail"),
    path("p/<int:pk>/", views.short_link, name="short"),
    path("topics/", views.TopicListView.as_view(), name="topics"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("regions/", views.RegionListView.as_view(), name="regions"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region"),
    path("feeds/", views.feed_index, name="feeds"),
    path("feeds/rss/", feeds.LatestRssFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.LatestAtomFeed(), name="feed-atom"),
]
