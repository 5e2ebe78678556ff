from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitDefaultTag
from taggit.utils import parse_tags

from .models import (
    Authorship,
    Publication,
    PublicationType,
    Region,
    Tag,
    Topic,
)

# This project uses its own tag models; taggit's default one stays empty.
admin.site.unregister(TaggitDefaultTag)


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 1
    fields = ("position", "person", "bio_line")
    autocomplete_fields = ("person",)
    ordering = ("position", "pk")


class PublicationAdminForm(forms.ModelForm):
    """Topics, regions and tags are picked with the admin's search-as-you-type widget.

    Free tags are open: names typed into "new tags" are added (matched case-insensitively to
    existing tags, so "isis" joins "ISIS" rather than starting a near-duplicate).
    """

    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        max_length=500,
        help_text=_("Tags not in the list yet, separated by commas."),
    )

    class Meta:
        model = Publication
        fields = ("topics", "regions", "tags")  # the admin's fieldsets add the rest

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in (("topics", Topic), ("regions", Region), ("tags", Tag)):
            field = Publication._meta.get_field(name)
            self.fields[name] = forms.ModelMultipleChoiceField(
                queryset=model.objects.all(),
                required=False,
                label=field.verbose_name.capitalize(),
                widget=AutocompleteSelectMultiple(field, admin_site or admin.site),
            )

    def clean(self):
        cleaned = super().clean()
        if "tags" in cleaned:
            cleaned["tags"] = [*cleaned["tags"], *parse_tags(cleaned.get("new_tags", ""))]
        return cleaned


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    form = PublicationAdminForm
    list_display = ("title", "type", "status", "author_names", "publish_at", "is_featured")
    list_filter = ("status", "type", "is_featured", "is_sample", "language", "topics", "regions")
    list_select_related = ("type",)
    search_fields = ("title", "summary", "authors__name")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "publish_at"
    inlines = (AuthorshipInline,)

    class Media:
        css = {"all": ("css/admin.css",)}

    fieldsets = (
        (None, {"fields": ("title", "slug", "type", "summary", "body")}),
        (_("Publishing"), {"fields": ("status", "publish_at", "is_featured")}),
        (_("Topics, regions and tags"), {"fields": ("topics", "regions", "tags", "new_tags")}),
        (
            _("Originally published in"),
            {"classes": ("collapse",), "fields": ("outlet_name", "outlet_url", "outlet_date")},
        ),
        (_("Files"), {"classes": ("collapse",), "fields": ("pdf", "image", "image_alt")}),
        (_("Advanced"), {"classes": ("collapse",), "fields": ("language", "is_sample")}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        site = self.admin_site

        class BoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, admin_site=site, **kw)

        return BoundForm

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("authorships", queryset=Authorship.objects.select_related("person")))
        )

    @admin.display(description=_("authors"))
    def author_names(self, publication):
        return ", ".join(a.person.name for a in publication.ordered_authorships) or "—"


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
