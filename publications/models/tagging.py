"""The rows tying a piece to its topics, regions and tags."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import ItemBase

from .publication import Publication
from .taxonomy import Region, Tag, Topic


class TaggedTopic(ItemBase):
    content_object = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="tagged_topics")
    tag = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="tagged_items")

    class Meta:
        verbose_name = _("topic of a publication")
        constraints = [models.UniqueConstraint(fields=("content_object", "tag"), name="taggedtopic_unique")]


class TaggedRegion(ItemBase):
    content_object = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="tagged_regions")
    tag = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="tagged_items")

    class Meta:
        verbose_name = _("region of a publication")
        constraints = [models.UniqueConstraint(fields=("content_object", "tag"), name="taggedregion_unique")]


class TaggedTag(ItemBase):
    content_object = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="tagged_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("tag of a publication")
        constraints = [models.UniqueConstraint(fields=("content_object", "tag"), name="taggedtag_unique")]
