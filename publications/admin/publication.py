import json
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version
from taggit.utils import parse_tags

from core.history import VersionDiffAdmin
from people.models import Person

from .. import rules, services
from ..history import Names, key_diff, state_changes
from ..history import value_html as key_value
from ..models import Authorship, Autosave, Publication, Region, Tag, Topic
from ..sanitize import sanitize_html

TRANSITION_LABELS = {
    "submit": _("Submit for review"),
    "publish": _("Publish now"),
    "schedule": _("Schedule"),
    "unpublish": _("Unpublish"),
    "archive": _("Archive"),
}


def _moment(value):
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def where_it_stands(publication):
    """Return, in a sentence, where a piece stands in the workflow."""
    Status = Publication.Status
    zone = timezone.get_current_timezone_name()
    if publication.is_scheduled:
        return gettext("Scheduled for %(time)s (%(zone)s time)") % {
            "time": _moment(publication.publish_at),
            "zone": zone,
        }
    if publication.is_public:
        return gettext("Published %(time)s (%(zone)s time)") % {
            "time": _moment(publication.publish_at),
            "zone": zone,
        }
    return {
        Status.DRAFT: gettext("Draft: not on the site"),
        Status.IN_REVIEW: gettext("In review: waiting for an editor"),
        Status.ARCHIVED: gettext("Archived: off the site, kept"),
    }.get(publication.status, publication.get_status_display())


def restored_message(publication, version, changed):
    labels = ", ".join(str(services.editing.label(key)) for key in changed) or gettext("nothing")
    return gettext(
        "Restored the version of %(date)s: %(changed)s brought back. Status unchanged: %(status)s."
    ) % {
        "date": formats.date_format(timezone.localtime(version.revision.date_created), "j F Y, H:i:s"),
        "changed": labels,
        "status": where_it_stands(publication),
    }


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_ahead(field, rows):
    """Let a choice field clean its value from ``rows`` already read (by pk), not one query a form."""
    fallback = field.to_python

    def to_python(value):
        try:
            return rows[int(value)]
        except (KeyError, TypeError, ValueError):
            return fallback(value)

    field.to_python = to_python


class AuthorshipForm(forms.ModelForm):
    """A byline row. Nothing is checked against the database row by row: the formset checks the
    rows against each other, and the save service writes the byline as a whole."""

    def validate_unique(self):
        pass

    def validate_constraints(self):
        pass


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    form = AuthorshipForm
    extra = 1
    fields = ("position", "person", "bio_line")
    autocomplete_fields = ("person",)
    ordering = ("position", "pk")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        day = obj.publish_date if obj else None

        class SuggestingFormSet(formset):
            """Show, in an empty bio line, the line that publication would draft.

            A sent byline is read in two queries, its rows and its people, whatever its length.
            """

            def add_fields(self, form, index):
                super().add_fields(form, index)
                if self.is_bound:
                    read_ahead(form.fields[self._pk_field.name], self._rows)
                    read_ahead(form.fields["person"], self._people)
                authorship = form.instance
                if authorship.pk and not authorship.bio_line:
                    suggestion = authorship.person.bio_line_on(day)
                    form.fields["bio_line"].widget.attrs["placeholder"] = suggestion

            @cached_property
            def _rows(self):
                return {row.pk: row for row in self.get_queryset()}

            @cached_property
            def _people(self):
                field = self.form.base_fields["person"]
                sent = (
                    self.data.get(f"{self.prefix}-{i}-person", "") for i in range(self.total_form_count())
                )
                return field.queryset.in_bulk([int(v) for v in sent if v.isdigit()])

        return SuggestingFormSet


class TermsWidget(AutocompleteSelectMultiple):
    """Search-as-you-type terms that re-render a form sent back with a value that is no term's id."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)


class PublicationAdminForm(forms.ModelForm):
    """The piece's form: taxonomy by search-as-you-type, and field-by-field merging of saves.

    It carries, signed, the state the editor opened: a save then applies only what this editor
    changed, and a field someone else changed meanwhile is shown side by side to choose from.
    Free tags are open: names typed into "new tags" are added (matched case-insensitively to
    existing tags, so "isis" joins "ISIS" rather than starting a near-duplicate).
    """

    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        max_length=500,
        help_text=_("Tags not in the list yet, separated by commas."),
    )
    base_state = forms.CharField(widget=forms.HiddenInput, required=False)
    schedule_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )

    # Search-as-you-type terms, the form's own: __init__ gives them their widgets and initial
    # values (read in one query); the save service writes them with the rest.
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False)
    regions = forms.ModelMultipleChoiceField(queryset=Region.objects.all(), required=False)
    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.all(), required=False)

    class Meta:
        model = Publication
        # The admin names the model fields (its fieldsets); these three are the form's own.
        exclude = ("topics", "regions", "tags")  # noqa: DJ006

    def __init__(self, *args, admin_site=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.conflicts = []
        if self.instance.pk and not self.is_bound:  # a bound form sends back the state it carried
            self.fields["base_state"].initial = signing.dumps(
                services.publication_state(self.instance), compress=True
            )
        zone = timezone.get_current_timezone_name()
        self.fields["schedule_at"].help_text = _(
            "For “Schedule”: the time the piece goes public (%(zone)s time)."
        ) % {"zone": zone}
        if self.instance.is_scheduled:
            self.fields["schedule_at"].initial = timezone.localtime(self.instance.publish_at)
        if self.instance.pk:
            for key, ids in services.editing.term_ids(self.instance).items():
                self.initial.setdefault(key, ids)
        for name, model in (("topics", Topic), ("regions", Region), ("tags", Tag)):
            field = Publication._meta.get_field(name)
            self.fields[name] = forms.ModelMultipleChoiceField(
                queryset=model.objects.all(),
                required=False,
                label=field.verbose_name.capitalize(),
                widget=TermsWidget(field, admin_site or admin.site),
            )

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if name != "base_state"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug != self.instance.slug or not self.instance.pk:
            services.editing.check_slug(self.instance, slug)
        return slug

    def validate_unique(self):
        # The address was checked by clean_slug, against the old addresses of other pieces too.
        try:
            self.instance.validate_unique(exclude={*self._get_validation_exclusions(), "slug"})
        except ValidationError as error:
            self._update_errors(error)

    def clean(self):
        cleaned = super().clean()
        if "tags" in cleaned:
            tags, new_names = list(cleaned["tags"]), []
            for name in parse_tags(cleaned.get("new_tags", "")):
                existing = Tag.objects.filter(name__iexact=name).first()
                if existing:
                    tags.append(existing)
                else:
                    new_names.append(name)
            cleaned["tags"], cleaned["new_tag_names"] = tags, new_names
        self._check_transition(cleaned)
        if self.instance.pk and not self.errors:
            self._merge(cleaned)
        return cleaned

    def _check_transition(self, cleaned):
        step = self.data.get("_transition")
        if not step:
            return
        if step not in rules.transitions(self.user, self.instance):
            raise ValidationError(_("You cannot do that with this piece now."), code="transition")
        if step == "schedule":
            when = cleaned.get("schedule_at")
            if when is None:
                self.add_error("schedule_at", _("Choose the date and time the piece should go public."))
            elif when <= timezone.now():
                self.add_error("schedule_at", _("This time has passed: choose a future one, or publish now."))

    def base(self):
        """Return the state the editor opened, or None if the form carries none."""
        try:
            return signing.loads(self.cleaned_data.get("base_state") or "") or None
        except signing.BadSignature:
            return None

    def resolutions(self):
        """Return the editor's choices for fields that conflicted: {key: (choice, digest)}."""
        return {
            key: (self.data.get(f"resolve-{key}"), self.data.get(f"resolve-{key}-seen"))
            for key in services.editing.KEYS
            if self.data.get(f"resolve-{key}")
        }

    def state(self, *, files=None):
        """Return the state this form asks for; ``files`` maps a file field to its stored name."""
        cleaned, stored = self.cleaned_data, self.instance
        state = {}
        for name in services.editing.FIELDS:
            if name not in cleaned:  # read-only for this user: as stored
                state[name] = services.editing.field_value(stored, name)
                continue
            value = cleaned[name]
            if name in ("pdf", "image"):
                if files and name in files:
                    value = files[name]
                elif isinstance(value, UploadedFile):
                    value = f"upload:{value.name}"  # a new file, not stored yet
                else:
                    value = value.name if value else ""
            elif name == "type":
                value = value.pk if value else None
            elif name == "outlet_date":
                value = value.isoformat() if value else None
            state[name] = value
        state["authors"] = self.authors()
        for key in ("topics", "regions"):
            state[key] = sorted(t.pk for t in cleaned.get(key, []))
        state["tags"] = sorted({t.pk for t in cleaned.get("tags", [])})
        return state

    def authors(self):
        rows = []
        for formset in getattr(self.instance, "_inline_formsets", ()):
            if formset.prefix != "authorships":
                continue
            for index, form in enumerate(formset.forms):
                data = getattr(form, "cleaned_data", None) or {}
                if not data.get("person") or data.get("DELETE"):
                    continue
                rows.append((data.get("position") or 0, index, data["person"].pk, data.get("bio_line", "")))
        return [[person, line] for _position, _index, person, line in sorted(rows)]

    def _merge(self, cleaned):
        """Refuse, before anything is written, a save that collides with another editor's."""
        base = self.base()
        if base is None:
            raise ValidationError(
                _("This form is too old or was changed: reload the page (your text is still below)."),
                code="base",
            )
        for formset in getattr(self.instance, "_inline_formsets", ()):
            if not formset.is_valid():
                return  # the formset shows its own errors
        current = Publication.objects.select_for_update().get(pk=self.instance.pk)
        theirs = services.publication_state(current)
        self.stored = current, theirs  # locked until the save: the service writes from them
        yours = self.state()
        _merged, self.conflicts = services.publication_merge(
            base=base, yours=yours, theirs=theirs, resolutions=self.resolutions()
        )
        if self.conflicts:
            self.conflict_names = Names([base, yours, theirs])
            latest = services.history.versions_of(current).first()
            self.conflict_by = latest.revision if latest else None
            raise ValidationError(
                _(
                    "Someone else changed this piece after you opened it, in the same places you did. "
                    "Nothing has been saved and your text is still in the form: choose below which "
                    "version of each field to keep, then save again."
                ),
                code="conflict",
            )


class PublicationChangeList(ChangeList):
    """The list shows each piece's byline: read for the page in one query."""

    def get_queryset(self, request, exclude_parameters=None):
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .prefetch_related(Prefetch("authorships", queryset=Authorship.objects.select_related("person")))
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
        if not self.value():
            return queryset
        # A year no piece has (?year=0, ?year=10000, ?year=abc) lists nothing, rather than ask
        # the database for a date it cannot hold.
        if self.value() not in {value for value, _label in self.lookup_choices}:
            return queryset.none()
        return queryset.filter(publish_at__year=int(self.value()))


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
        (_("Files"), {"classes": ("collapse",), "fields": ("pdf", "image", "image_alt")}),
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
            context["conflicts"] = [
                {
                    "conflict": conflict,
                    "theirs": key_value(conflict.key, conflict.theirs, form.conflict_names),
                    "yours": key_value(conflict.key, conflict.yours, form.conflict_names),
                    "diff": key_diff(conflict.key, conflict.theirs, conflict.yours, form.conflict_names),
                    "choice": form.data.get(f"resolve-{conflict.key}", ""),
                }
                for conflict in form.conflicts
            ]
            context["conflict_by"] = form.conflict_by
        context["bio_line_url"] = reverse("admin:publications_publication_bio_line")
        if obj is not None:
            context["transitions"] = [
                (step, TRANSITION_LABELS[step]) for step in rules.transitions(request.user, obj)
            ]
        if obj is None or rules.can_edit(request.user, obj):
            name = "publications_publication_autosave" if obj else "publications_publication_autosave_new"
            context["autosave_url"] = reverse(f"admin:{name}", args=[obj.pk] if obj else [])
            if request.method == "GET":  # after a refused save, the form holds the editor's text
                copy = Autosave.objects.filter(user=request.user, publication=obj).first()
                context["autosave"] = copy
                context["autosave_is_older"] = bool(obj and copy and copy.saved_at < obj.updated_at)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Who sees and edits what: contributors their own pieces, editors every piece.

    def get_changelist(self, request, **kwargs):
        return PublicationChangeList

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

    def has_publish_permission(self, request):
        return rules.can_publish(request.user)

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
        step = request.POST.get("_transition")
        if change and step:
            extra = {"publish_at": form.cleaned_data["schedule_at"]} if step == "schedule" else {}
            publication = services.TRANSITIONS[step](publication=publication, user=request.user, **extra)
            self.message_user(request, where_it_stands(publication), messages.SUCCESS)

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)  # the byline is in the version

    def response_change(self, request, obj):
        if request.POST.get("_transition"):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # Version history, restore and recovery: only for pieces the user may see and edit.

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_rows(self, request, object_id):
        """A piece's history: each version against the one before, byline and terms by name."""
        versions = list(services.history.versions_of(self.get_object(request, unquote(object_id))))
        states = services.history.version_states(versions)  # newest first
        names = Names(states)
        return [
            {
                "revision": version.revision,
                "url": reverse("admin:publications_publication_revision", args=(object_id, version.pk)),
                "changes": state_changes(older, state, names),
            }
            for version, state, older in zip(versions, states, [*states[1:], None], strict=True)
        ]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Show what restoring a version would change; restore it on confirmation."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        version = services.history.versions_of(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404(_("This piece has no such version."))
        may_restore = rules.can_edit(request.user, obj)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            changed = services.publication_restore(publication=obj, version=version, user=request.user)
            self.message_user(request, restored_message(obj, version, changed), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:publications_publication_change", args=[obj.pk]))
        old = services.version_state(version)
        now = services.publication_state(obj)
        restorable = {
            k: old[k] for k in (*services.history.RESTORED_FIELDS, "authors", "topics", "regions", "tags")
        }
        changes = state_changes(now, {**now, **restorable}, Names([now, old]))
        return self._version_page(request, obj, version, changes, may_restore, recover=False)

    def recoverlist_view(self, request, extra_context=None):
        if not rules.can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not rules.can_publish(request.user):
            raise PermissionDenied
        version = Version.objects.get_deleted(Publication).filter(pk=version_id).first()
        if version is None:
            raise Http404(_("There is no deleted piece with this version."))
        if request.method == "POST":
            try:
                publication = services.publication_recover(version=version, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:publications_publication_recoverlist"))
            self.message_user(
                request, _("“%(title)s” is back, as a draft.") % {"title": publication}, messages.SUCCESS
            )
            return HttpResponseRedirect(
                reverse("admin:publications_publication_change", args=[publication.pk])
            )
        state = services.version_state(version)
        changes = state_changes({}, state, Names([state]))
        return self._version_page(request, None, version, changes, True, recover=True)

    def _version_page(self, request, obj, version, changes, may_restore, *, recover):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "version": version,
            "changes": changes,
            "may_restore": may_restore,
            "recover": recover,
            "status": where_it_stands(obj) if obj else None,
            "title": _("Recover a deleted piece") if recover else _("Restore an earlier version"),
        }
        return TemplateResponse(request, "admin/publications/publication/restore.html", context)

    # Autosave: a private copy of the open form, never the piece itself.

    def autosave_view(self, request, object_id=None):
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not rules.can_edit(request.user, obj):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return JsonResponse({"error": "Use POST."}, status=405)
        if request.POST.get("discard"):
            Autosave.objects.filter(user=request.user, publication=obj).delete()
            return JsonResponse({"discarded": True})
        try:
            fields = json.loads(request.POST.get("fields", ""))
        except ValueError:
            return JsonResponse({"error": "The autosaved fields are not valid JSON."}, status=400)
        if not isinstance(fields, dict):
            return JsonResponse({"error": "The autosaved fields must be an object."}, status=400)
        copy, _created = Autosave.objects.update_or_create(
            user=request.user, publication=obj, defaults={"fields": fields}
        )
        return JsonResponse({"saved_at": timezone.localtime(copy.saved_at).strftime("%H:%M:%S")})

    # Read-only displays.

    @admin.display(description=_("where it stands"))
    def where_it_stands(self, publication):
        return where_it_stands(publication)

    @admin.display(description=_("body"))
    def body_as_published(self, publication):
        return mark_safe(sanitize_html(publication.body))  # sanitized on every save; again here

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
