"""Natural keys by slug: how the archive names a row in any database (``natural_key()``) and
finds it again (``objects.get_by_natural_key()``)."""

from django.db import models


class SlugKeyQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugKeyed:
    """A model named by its unique slug (give it ``objects = SlugKeyQuerySet.as_manager()``)."""

    def natural_key(self):
        return (self.slug,)
