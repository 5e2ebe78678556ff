from django.contrib import admin

from ..models import PublicationType, Region, Tag, Topic


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
    pass


@admin.register(Region)
class RegionAdmin(VocabularyAdmin):
    pass


@admin.register(Tag)
class TagAdmin(VocabularyAdmin):
    pass
