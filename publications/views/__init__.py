from .admin_shortcut import view_on_site
from .listing import PublicationListView, RegionDetailView, SearchView, TopicDetailView, YearArchiveView
from .pages import (
    PublicationDetailView,
    RegionListView,
    TopicListView,
    bad_request,
    citation,
    favicon,
    feed_index,
    home,
    short_link,
)

__all__ = [
    "PublicationDetailView",
    "PublicationListView",
    "RegionDetailView",
    "RegionListView",
    "SearchView",
    "TopicDetailView",
    "TopicListView",
    "YearArchiveView",
    "bad_request",
    "citation",
    "favicon",
    "feed_index",
    "home",
    "short_link",
    "view_on_site",
]
