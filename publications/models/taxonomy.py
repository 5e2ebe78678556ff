"""The taxonomy: types, topics, regions and free tags."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase

from core.keys import SlugKeyed, SlugKeyQuerySet
from core.purge import ShownOnPages
from core.text import CleanTextMixin


class PublicationType(ShownOnPages, SlugKeyed, CleanTextMixin, models.Model):
    page_key = "type"
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Types are listed in this order (lowest first).")
    )

    objects = SlugKeyQuerySet.as_manager()

    class Meta:
        ordering = ("position", "name")
        verbose_name = _("publication type")
        verbose_name_plural = _("publication types")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('publications:list')}?type={self.slug}"


class CuratedTag(SlugKeyed, CleanTextMixin, TagBase):
    """A curated vocabulary term with a page of its own."""

    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("slug",)  # what taggit's get_by_natural_key looks up (its default: the name)

    class Meta:
        abstract = True
        ordering = ("name",)


class Topic(ShownOnPages, CuratedTag):
    page_key = "topic"

    class Meta(CuratedTag.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def get_absolute_url(self):
        return reverse("publications:topic", kwargs={"slug": self.slug})


class Region(ShownOnPages, CuratedTag):
    page_key = "region"

    class Meta(CuratedTag.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def get_absolute_url(self):
        return reverse("publications:region", kwargs={"slug": self.slug})


class Tag(ShownOnPages, SlugKeyed, CleanTextMixin, TagBase):
    page_key = "tag"
    """An open, free tag: any editor may add one."""

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
