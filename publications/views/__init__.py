from .admin_shortcut import view_on_site
from .experts import ExpertDetailView
from .listing import PublicationListView, RegionDetailView, SearchView, TopicDetailView, YearArchiveView
from .pages import (
    PublicationDetailView,
    RegionListView,
    TopicListView,
    citation,
    feed_index,
    home,
    short_link,
)

__all__ = [
    "ExpertDetailView",
    "PublicationDetailView",
    "PublicationListView",
    "RegionDetailView",
    "RegionListView",
    "SearchView",
    "TopicDetailView",
    "TopicListView",
    "YearArchiveView",
    "citation",
    "feed_index",
    "home",
    "short_link",
    "view_on_site",
]
