from django.contrib import admin
from taggit.models import Tag as TaggitDefaultTag

from . import library, publication, taxonomy  # noqa: F401  (registers the model admins)

# This project uses its own tag models; taggit's default one stays empty.
admin.site.unregister(TaggitDefaultTag)
