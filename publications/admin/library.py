"""The media library in the admin: the images editors put in bodies, with thumbnails and search,
and the two JSON endpoints the body editor's figure dialog uses (static/js/admin-media-library.js):
the library (GET) and an upload (POST, CSRF-protected like every admin form).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..models import LibraryImage, Publication
from ..services.library import library_image_upload, may_describe, may_upload

DESCRIPTION_REQUIRED = _("Every image needs a description for readers who cannot see it.")
PAGE_SIZE = 24
QUERY_MAX_LENGTH = 200
THUMBNAIL_BOX = (120, 80)


class LibraryImageForm(forms.ModelForm):
    class Meta:
        model = LibraryImage
        fields = ("file", "alt", "caption", "credit")
        error_messages = {"alt": {"required": DESCRIPTION_REQUIRED}}

    def clean_alt(self):
        alt = " ".join(self.cleaned_data.get("alt", "").split())
        if not alt:
            raise forms.ValidationError(DESCRIPTION_REQUIRED, code="required")
        return alt


def thumbnail_size(image, box=THUMBNAIL_BOX):
    """Return the width and height ``image`` is drawn at to fit ``box``, never enlarged."""
    if not (image.width and image.height):
        return box
    scale = min(box[0] / image.width, box[1] / image.height, 1)
    return max(1, round(image.width * scale)), max(1, round(image.height * scale))


def image_json(image):
    """Return what the figure dialog needs to show and insert ``image``."""
    return {
        "id": image.pk,
        "url": image.url,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "name": image.file.name.rsplit("/", 1)[-1],
        "uploaded_at": timezone.localtime(image.uploaded_at).strftime("%Y-%m-%d %H:%M"),
    }


def json_error(message, status):
    return JsonResponse({"error": str(message)}, status=status)


@admin.register(LibraryImage)
class LibraryImageAdmin(admin.ModelAdmin):
    form = LibraryImageForm
    list_display = ("thumbnail", "alt", "caption", "credit", "uploaded_by", "uploaded_at", "use_count")
    list_display_links = ("thumbnail", "alt")
    list_select_related = ("uploaded_by",)
    search_fields = ("alt", "caption", "credit", "file")
    date_hierarchy = "uploaded_at"
    readonly_fields = ("preview", "size", "uploaded_by", "uploaded_at", "shown_in")
    fieldsets = (
        (None, {"fields": ("preview", "file", "alt", "caption", "credit")}),
        (_("About the file"), {"fields": ("size", "uploaded_by", "uploaded_at", "shown_in")}),
    )

    class Media:
        css = {"all": ("css/admin-media-library.css",)}

    def get_urls(self):
        library = self.admin_site.admin_view(self.library_view)
        upload = self.admin_site.admin_view(self.upload_view)
        return [
            path("library/", library, name="publications_libraryimage_library"),
            path("library/upload/", upload, name="publications_libraryimage_upload"),
            *super().get_urls(),
        ]

    # Who sees what: staff who write pieces choose from the images they may see; editors manage all.

    def get_queryset(self, request):
        queryset = super().get_queryset(request).visible_to(request.user)
        return queryset.annotate(use_count=Count("uses"))

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_active and user.is_staff and user.has_perm("publications.view_publication")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return may_upload(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_view_permission(request)
        return may_describe(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return rules.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Pieces point at the stored file: another file would change them behind their editors.
        return (*fields, "file") if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("file", "alt", "caption", "credit")}),)
        return super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            library_image_upload(user=request.user, image=obj)

    # Displays.

    @admin.display(description=_("image"))
    def thumbnail(self, image):
        width, height = thumbnail_size(image)
        return format_html(
            '<img class="library-thumbnail" src="{}" alt="" width="{}" height="{}" loading="lazy">',
            image.url or "",
            width,
            height,
        )

    @admin.display(description=_("preview"))
    def preview(self, image):
        width, height = thumbnail_size(image, (480, 320))
        return format_html(
            '<img class="library-preview" src="{}" alt="{}" width="{}" height="{}">',
            image.url or "",
            image.alt,
            width,
            height,
        )

    @admin.display(description=_("size"))
    def size(self, image):
        return format_html("{} × {} px", image.width or "?", image.height or "?")

    @admin.display(description=_("shown in"), ordering="use_count")
    def use_count(self, image):
        return image.use_count

    @admin.display(description=_("shown in"))
    def shown_in(self, image):
        pieces = image.pieces.only("pk", "title")
        if not pieces:
            return gettext("No piece yet.")
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:publications_publication_change", args=[p.pk]), p.title) for p in pieces),
        )

    # The figure dialog's endpoints.

    def library_view(self, request):
        """Return a page of the images this user may choose from, newest first, as JSON."""
        if request.method != "GET":
            return json_error(gettext("Use GET."), 405)
        if not self.has_view_permission(request):
            return json_error(gettext("You may not choose images from the library."), 403)
        query = request.GET.get("q", "")
        if len(query) > QUERY_MAX_LENGTH:
            return json_error(gettext("Search for at most 200 characters."), 400)
        page = request.GET.get("page", "1")
        if not page.isdigit() or len(page) > 6 or int(page) < 1:
            return json_error(gettext("The page must be a whole number, 1 or more."), 400)
        start = (int(page) - 1) * PAGE_SIZE
        found = list(
            LibraryImage.objects.visible_to(request.user).search(query)[start : start + PAGE_SIZE + 1]
        )
        return JsonResponse(
            {
                "results": [image_json(image) for image in found[:PAGE_SIZE]],
                "page": int(page),
                "has_next": len(found) > PAGE_SIZE,
                "upload_url": reverse("admin:publications_libraryimage_upload"),
            }
        )

    def upload_view(self, request):
        """Store an uploaded image with its description; answer with it, or the form's errors."""
        if request.method != "POST":
            return json_error(gettext("Use POST."), 405)
        value, publication = request.POST.get("publication", ""), None
        if value:  # empty for a piece not saved yet
            pieces = Publication.objects.only("pk", "status", "created_by")
            publication = pieces.filter(pk=int(value)).first() if value.isdigit() else None
            if publication is None:
                return json_error(gettext("There is no such piece to add an image to."), 400)
        if not may_upload(request.user, publication):
            return json_error(gettext("You may add images only to pieces you can edit."), 403)
        form = LibraryImageForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            return JsonResponse({"errors": errors}, status=400)
        try:
            image = library_image_upload(user=request.user, image=form.instance, publication=publication)
        except PermissionDenied as denied:
            return json_error(denied, 403)
        return JsonResponse({"image": image_json(image)}, status=201)
