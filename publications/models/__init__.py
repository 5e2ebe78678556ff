import reversion

from .editing import Autosave, SlugRedirect, VersionContent
from .library import LibraryImage, LibraryImageUse
from .publication import (
    BODY_EDITOR_EXTENSIONS,
    SECTION_NAME,
    Authorship,
    Publication,
    PublicationQuerySet,
    ReadRelationsMixin,
)
from .search import SearchPieceWords, SearchTrigram, SearchWord
from .tagging import TaggedRegion, TaggedTag, TaggedTopic
from .taxonomy import CuratedTag, PublicationType, Region, Tag, Topic

__all__ = [
    "BODY_EDITOR_EXTENSIONS",
    "SECTION_NAME",
    "Authorship",
    "Autosave",
    "CuratedTag",
    "LibraryImage",
    "LibraryImageUse",
    "Publication",
    "PublicationQuerySet",
    "PublicationType",
    "ReadRelationsMixin",
    "Region",
    "SearchPieceWords",
    "SearchTrigram",
    "SearchWord",
    "SlugRedirect",
    "Tag",
    "TaggedRegion",
    "TaggedTag",
    "TaggedTopic",
    "Topic",
    "VersionContent",
]

# Every save of a piece keeps a version of it; its authors and terms go with the version as a
# VersionContent (services.editing.record_revision). The rows are registered only so that the
# versions kept before that, which hold them as versions of their own, can still be read.
for through in (Authorship, TaggedTopic, TaggedRegion, TaggedTag):
    reversion.register(through)
reversion.register(Publication, exclude=("search_vector",))
