"""Where every public view starts: the one gate, then what its cards show."""

from ..models import Publication


class PublishedMixin:
    """Start a public view from ``Publication.objects.published()``, never from the bare manager."""

    def published(self):
        return Publication.objects.published()
