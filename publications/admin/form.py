"""The piece's change form: what it shows, what it checks, and the state it asks the services for."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.utils import parse_tags

from .. import rules, services
from ..history import Names
from ..models import Publication, Region, Tag, Topic
from ..services.save import check_slug
from ..services.state import FIELDS, KEYS, field_value, term_ids


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
    send_back_note = forms.CharField(
        label=_("What should change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("For “Send back to the author”: mailed to the author and kept in the piece’s history."),
    )

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
            for key, ids in term_ids(self.instance).items():
                self.initial.setdefault(key, ids)
        # Search-as-you-type terms, the form's own, with their initial values read in one query
        # above; the save service writes them with the rest.
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
        return [name for name in super().changed_data if name not in ("base_state", "send_back_note")]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug != self.instance.slug or not self.instance.pk:
            check_slug(self.instance, slug)
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
            for key in KEYS
            if self.data.get(f"resolve-{key}")
        }

    def state(self, *, files=None):
        """Return the state this form asks for; ``files`` maps a file field to its stored name."""
        cleaned, stored = self.cleaned_data, self.instance
        state = {}
        for name in FIELDS:
            if name not in cleaned:  # read-only for this user: as stored
                state[name] = field_value(stored, name)
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
