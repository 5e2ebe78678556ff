"""The admin of pieces. Its parts live beside it: the form (form.py), the byline (inlines.py), the
list (listing.py), the workflow (workflow.py), autosave and conflicts (editing.py), the version
history (history.py). Saving goes through the services.
"""

from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.history import VersionDiffAdmin

from .. import rules, services
from ..models import Publication, Tag
from ..sanitize import sanitize_html
from .editing import EditingViews, conflict_rows
from .form import PublicationAdminForm
from .history import HistoryViews
from .inlines import AuthorshipInline
from .listing import ListColumns, StatusFilter, YearFilter
from .workflow import WorkflowActions, where_it_stands


@admin.register(Publication)
class PublicationAdmin(WorkflowActions, HistoryViews, EditingViews, ListColumns, VersionDiffAdmin):
    form = PublicationAdminForm
    list_display = ("title", "type", "status_badge", "author_names", "publish_at", "links")
    list_filter = (
        StatusFilter,
        "type",
        "topics",
        "regions",
        "authors",
        YearFilter,
        "is_featured",
        "is_sample",
    )
    list_select_related = ("type",)
    search_fields = ("title", "summary", "authors__name")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "publish_at"
    inlines = (AuthorshipInline,)
    actions = ("submit_for_review", "publish", "unpublish", "archive")
    readonly_fields = ("links", "created_by")

    class Media:
        css = {"all": ("css/admin.css",)}
        js = ("js/admin-bio-line.js", "js/admin-autosave.js")

    def get_urls(self):
        bio_line = self.admin_site.admin_view(self.bio_line_view)
        autosave = self.admin_site.admin_view(self.autosave_view)
        return [
            path("bio-line/", bio_line, name="publications_publication_bio_line"),
            path("add/autosave/", autosave, name="publications_publication_autosave_new"),
            path("<path:object_id>/autosave/", autosave, name="publications_publication_autosave"),
            *super().get_urls(),
        ]

    fieldsets = (
        (None, {"fields": ("title", "slug", "type", "summary", "body")}),
        (
            _("Publishing"),
            {"fields": ("where_it_stands", "schedule_at", "is_featured", "links", "base_state")},
        ),
        (_("Topics, regions and tags"), {"fields": ("topics", "regions", "tags", "new_tags")}),
        (
            _("Originally published in"),
            {"classes": ("collapse",), "fields": ("outlet_name", "outlet_url", "outlet_date")},
        ),
        (_("Files"), {"classes": ("collapse",), "fields": ("pdf", "image", "image_alt", "image_credit")}),
        (_("Advanced"), {"classes": ("collapse",), "fields": ("language", "is_sample", "created_by")}),
    )

    def get_fieldsets(self, request, obj=None):
        """Editors get the schedule; a piece the user may only read shows its body as it reads."""
        editable = obj is None or rules.can_edit(request.user, obj)
        leave_out = set()
        if obj is None or "schedule" not in rules.transitions(request.user, obj):
            leave_out.add("schedule_at")  # the picker goes with the Schedule button
        if obj is None:
            leave_out.add("where_it_stands")
        if not editable:
            leave_out |= {"base_state", "new_tags", "schedule_at"}
        fieldsets = []
        for name, options in self.fieldsets:
            fields = [f for f in options["fields"] if f not in leave_out]
            if not editable:
                fields = ["body_as_published" if f == "body" else f for f in fields]
            fieldsets.append((name, {**options, "fields": tuple(fields)}))
        return fieldsets

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context.get("adminform") and context["adminform"].form
        if form is not None and getattr(form, "conflicts", None):
            context["conflicts"] = conflict_rows(form)
            context["conflict_by"] = form.conflict_by
        context["bio_line_url"] = reverse("admin:publications_publication_bio_line")
        if obj is not None:
            context["transitions"] = self.transition_buttons(request, obj)
        if obj is None or rules.can_edit(request.user, obj):
            context.update(self.autosave_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Who sees and edits what: contributors their own pieces, editors every piece.

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not rules.can_publish(request.user):
            queryset = queryset.filter(created_by=request.user)
        return queryset

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        if rules.can_publish(request.user):
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        self.message_user(
            request,
            _(
                "There is no piece with ID “%(id)s” that you can open: "
                "contributors open the pieces they started."
            )
            % {"id": object_id},
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse("admin:publications_publication_changelist"))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or rules.can_publish(request.user)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = (*super().get_readonly_fields(request, obj), "where_it_stands", "body_as_published")
        if not rules.can_publish(request.user):
            fields = (*fields, "is_featured")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        site, user = self.admin_site, request.user

        class BoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, admin_site=site, user=user, **kw)

        return BoundForm

    def _create_formsets(self, request, obj, change):
        formsets, inlines = super()._create_formsets(request, obj, change)
        obj._inline_formsets = formsets  # the form merges the byline with the rest
        return formsets, inlines

    # Saving goes through the services: the form only validates.

    def save_model(self, request, obj, form, change):
        """Nothing here: the piece, its byline and terms are written together in save_related."""

    def save_related(self, request, form, formsets, change):
        files = {}
        for name in ("pdf", "image"):
            upload = form.cleaned_data.get(name)
            if isinstance(upload, UploadedFile):
                field = Publication._meta.get_field(name)
                files[name] = field.storage.save(field.generate_filename(form.instance, upload.name), upload)
        state = form.state(files=files)
        state["tags"] = sorted(
            {
                *state["tags"],
                *(Tag.objects.create(name=name).pk for name in form.cleaned_data.get("new_tag_names", [])),
            }
        )
        publication = services.publication_save(
            publication=form.instance,
            user=request.user,
            state=state,
            base=form.base() if change else None,
            resolutions=form.resolutions(),
            stored=getattr(form, "stored", None),
        )
        if change:
            self.apply_transition(request, form, publication)

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)  # the byline is in the version

    # Read-only displays.

    @admin.display(description=_("where it stands"))
    def where_it_stands(self, publication):
        return where_it_stands(publication)

    @admin.display(description=_("body"))
    def body_as_published(self, publication):
        return mark_safe(sanitize_html(publication.body))  # sanitized on every save; again here
