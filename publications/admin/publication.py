import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.models import Version
from taggit.utils import parse_tags

from config.history import VersionDiffAdmin, field_changes
from people.models import Person

from .. import rules, services
from ..models import Authorship, Publication, Region, Tag, Topic

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 1
    fields = ("position", "person", "bio_line")
    autocomplete_fields = ("person",)
    ordering = ("position", "pk")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        day = obj.publish_date if obj else None

        class SuggestingFormSet(formset):
            """Show, in an empty bio line, the line that publication would draft."""

            def add_fields(self, form, index):
                super().add_fields(form, index)
                authorship = form.instance
                if authorship.pk and not authorship.bio_line:
                    suggestion = authorship.person.bio_line_on(day)
                    form.fields["bio_line"].widget.attrs["placeholder"] = suggestion

        return SuggestingFormSet


class PublicationAdminForm(forms.ModelForm):
    """The piece's form: taxonomy by search-as-you-type, and a guard against lost edits.

    Free tags are open: names typed into "new tags" are added (matched case-insensitively to
    existing tags, so "isis" joins "ISIS" rather than starting a near-duplicate).
    """

    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        max_length=500,
        help_text=_("Tags not in the list yet, separated by commas."),
    )
    loaded_edit_count = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Publication
        fields = ("topics", "regions", "tags")  # the admin's fieldsets add the rest

    def __init__(self, *args, admin_site=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.conflict = None
        self.fields["loaded_edit_count"].initial = self.instance.edit_count
        for name, model in (("topics", Topic), ("regions", Region), ("tags", Tag)):
            field = Publication._meta.get_field(name)
            self.fields[name] = forms.ModelMultipleChoiceField(
                queryset=model.objects.all(),
                required=False,
                label=field.verbose_name.capitalize(),
                widget=AutocompleteSelectMultiple(field, admin_site or admin.site),
            )
        if "status" in self.fields and user is not None and not rules.can_publish(user):
            self.fields["status"].choices = [
                (value, label)
                for value, label in Publication.Status.choices
                if value in rules.CONTRIBUTOR_STATUSES
            ]

    def clean(self):
        cleaned = super().clean()
        if "tags" in cleaned:
            cleaned["tags"] = [*cleaned["tags"], *parse_tags(cleaned.get("new_tags", ""))]
        self._refuse_stale_save(cleaned.get("loaded_edit_count"))
        return cleaned

    def _refuse_stale_save(self, loaded):
        """Refuse a save based on an older copy than the one stored: someone saved in between."""
        if not self.instance.pk or loaded is None:
            return
        current = Publication.objects.select_for_update().get(pk=self.instance.pk)
        if current.edit_count == loaded:
            return
        versions = Version.objects.get_for_object(current).select_related("revision__user")
        latest = versions.first()
        base = next((v.field_dict for v in versions if v.field_dict.get("edit_count") == loaded), None)
        stored = {
            field.attname: getattr(current, field.attname) for field in Publication._meta.concrete_fields
        }
        self.conflict = {
            "user": latest.revision.user if latest else None,
            "date": current.updated_at,
            "changes": field_changes(Publication, base, stored) if base else [],
        }
        # Saving again now overwrites knowingly: the form carries the stored copy's count.
        data = self.data.copy()
        data["loaded_edit_count"] = current.edit_count
        self.data = data
        raise ValidationError(
            _(
                "Someone else saved this piece after you opened it. Nothing has been saved: your "
                "text is still in the form. Compare their changes below, then save again to keep "
                "yours, or reload the page to start from theirs."
            ),
            code="stale",
        )


class StatusFilter(admin.SimpleListFilter):
    """Statuses as editors think of them: a published piece still to come is "scheduled"."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("in_review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("live", _("Published (live)")),
            ("archived", _("Archived")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Publication.Status.PUBLISHED)
        match self.value():
            case "scheduled":
                return published.filter(publish_at__gt=now)
            case "live":
                return published.filter(publish_at__lte=now)
            case "draft" | "in_review" | "archived" as value:
                return queryset.filter(status=value)
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("publish_at", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(publish_at__year=int(self.value()))
        return queryset


@admin.register(Publication)
class PublicationAdmin(VersionDiffAdmin):
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
        js = ("js/admin-bio-line.js",)

    def get_urls(self):
        bio_line = self.admin_site.admin_view(self.bio_line_view)
        return [path("bio-line/", bio_line, name="publications_publication_bio_line"), *super().get_urls()]

    def bio_line_view(self, request):
        """Return the bio line a person would get on a date (for the authors inline)."""
        if not request.user.has_perm("people.view_person"):
            raise PermissionDenied
        person_id, date_text = request.GET.get("person", ""), request.GET.get("date", "")
        person = None
        if person_id.isdigit() and len(person_id) < 19:
            person = Person.objects.with_appointments().filter(pk=person_id).first()
        if person is None:
            return JsonResponse({"error": "Unknown person."}, status=404)
        try:
            day = parse_date(date_text) if DATE.fullmatch(date_text) else None
        except ValueError:  # a well-formed but impossible date, such as 2024-02-30
            day = None
        return JsonResponse({"bio_line": person.bio_line_on(day)})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["conflict"] = getattr(
            context.get("adminform") and context["adminform"].form, "conflict", None
        )
        context["bio_line_url"] = reverse("admin:publications_publication_bio_line")
        return super().render_change_form(request, context, add, change, form_url, obj)

    fieldsets = (
        (None, {"fields": ("title", "slug", "type", "summary", "body")}),
        (_("Publishing"), {"fields": ("status", "publish_at", "is_featured", "links", "loaded_edit_count")}),
        (_("Topics, regions and tags"), {"fields": ("topics", "regions", "tags", "new_tags")}),
        (
            _("Originally published in"),
            {"classes": ("collapse",), "fields": ("outlet_name", "outlet_url", "outlet_date")},
        ),
        (_("Files"), {"classes": ("collapse",), "fields": ("pdf", "image", "image_alt")}),
        (_("Advanced"), {"classes": ("collapse",), "fields": ("language", "is_sample", "created_by")}),
    )

    # Who sees and edits what: contributors their own pieces, editors every piece.

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("authorships", queryset=Authorship.objects.select_related("person")))
        )
        if not rules.can_publish(request.user):
            queryset = queryset.filter(created_by=request.user)
        return queryset

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or rules.can_publish(request.user)
        )

    def has_publish_permission(self, request):
        return rules.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not rules.can_publish(request.user):
            fields = (*fields, "publish_at", "is_featured")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        site, user = self.admin_site, request.user

        class BoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, admin_site=site, user=user, **kw)

        return BoundForm

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if not rules.can_publish(request.user) and obj.status not in rules.CONTRIBUTOR_STATUSES:
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    # Columns.

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, publication):
        css = "scheduled" if publication.is_scheduled else publication.status
        return format_html('<span class="status-badge status-{}">{}</span>', css, publication.display_status)

    @admin.display(description=_("authors"))
    def author_names(self, publication):
        return ", ".join(a.person.name for a in publication.ordered_authorships) or "—"

    @admin.display(description=_("links"))
    def links(self, publication):
        if not publication.pk:
            return "—"
        label = _("View on site") if publication.is_public else _("Preview")
        return format_html('<a href="{}" target="_blank">{}</a>', publication.get_absolute_url(), label)

    # Bulk actions, each permission-checked by the services as well as by the admin.

    def _apply(self, request, queryset, service, done_message, **kwargs):
        done = 0
        for publication in queryset:
            try:
                service(publication=publication, user=request.user, **kwargs)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{publication}: {message}", messages.WARNING)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Submit selected drafts for review"), permissions=("change",))
    def submit_for_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publication_submit,
            lambda n: ngettext("%d piece submitted for review.", "%d pieces submitted for review.", n) % n,
        )

    @admin.action(
        description=_("Publish selected pieces (or schedule them at their publish time)"),
        permissions=("publish",),
    )
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publication_publish,
            lambda n: (
                ngettext("%d piece published or scheduled.", "%d pieces published or scheduled.", n) % n
            ),
        )

    @admin.action(description=_("Unpublish selected pieces (back to draft)"), permissions=("publish",))
    def unpublish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publication_unpublish,
            lambda n: ngettext("%d piece unpublished.", "%d pieces unpublished.", n) % n,
        )

    @admin.action(description=_("Archive selected pieces"), permissions=("publish",))
    def archive(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publication_archive,
            lambda n: ngettext("%d piece archived.", "%d pieces archived.", n) % n,
        )
