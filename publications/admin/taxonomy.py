from django.contrib import admin
from django.db.models import Q
from django.urls import reverse

from .. import rules
from ..models import Publication, PublicationType, Region, Tag, TaggedTag, Topic


@admin.register(PublicationType)
class PublicationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(VocabularyAdmin):
    """Topics are a curated vocabulary: every staff member may see all of them."""


@admin.register(Region)
class RegionAdmin(VocabularyAdmin):
    """Regions are a curated vocabulary: every staff member may see all of them."""


@admin.register(Tag)
class TagAdmin(VocabularyAdmin):
    def get_search_results(self, request, queryset, search_term):
        """Suggest to contributors only tags on a public piece or on one of their own.

        Free tags are made as pieces are written, so a tag's name can give away a draft: a tag
        used only on someone else's unpublished piece, or on none (its piece may have been deleted),
        is left out of a contributor's suggestions. Editors are suggested every tag.
        """
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        is_autocomplete = request.path == reverse(f"{self.admin_site.name}:autocomplete")
        if is_autocomplete and not rules.can_publish(request.user):
            visible = TaggedTag.objects.filter(
                Q(content_object__in=Publication.objects.published())
                | Q(content_object__created_by=request.user)
            )
            queryset = queryset.filter(pk__in=visible.values("tag_id"))
        return queryset, may_have_duplicates
