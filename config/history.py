"""Version history in the admin: every save listed with who, when and what changed, as a diff.

Built on django-reversion's VersionAdmin, which keeps the versions and restores any of them
(and recovers deleted objects).
"""

import difflib
import html

from django.contrib.admin.utils import quote, unquote
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin
from reversion.models import Version

# Bookkeeping fields whose change is not news to an editor.
SKIPPED_FIELDS = {"edit_count", "updated_at", "created_at", "id", "search_vector"}


def word_diff(old, new):
    """Return HTML marking the words removed from ``old`` (<del>) and added in ``new`` (<ins>)."""
    before = html.unescape(strip_tags(str(old or ""))).split()
    after = html.unescape(strip_tags(str(new or ""))).split()
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            words = before[a1:a2]
            text = " ".join(words) if len(words) <= 24 else f"{' '.join(words[:8])} … {' '.join(words[-8:])}"
            parts.append(html.escape(text))
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", " ".join(before[a1:a2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", " ".join(after[b1:b2])))
    return mark_safe(" ".join(parts))


def _display(model, attname, value):
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    if field.is_relation and value is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value} (deleted)"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return "" if value is None else value


def field_changes(model, old, new):
    """Return (label, diff HTML) for each field that differs between two field dicts."""
    changes = []
    for field in model._meta.concrete_fields:
        name = field.attname
        if name in SKIPPED_FIELDS or old.get(name) == new.get(name):
            continue
        changes.append(
            (
                str(field.verbose_name).capitalize(),
                word_diff(_display(model, name, old.get(name)), _display(model, name, new.get(name))),
            )
        )
    return changes


def related_changes(older, newer):
    """Return lines for related objects (authors, tags...) added or removed between two versions."""

    def related(version):
        if version is None:
            return set()
        return {
            (str(v.content_type.model_class()._meta.verbose_name).capitalize(), v.object_repr)
            for v in version.revision.version_set.select_related("content_type")
            if v.pk != version.pk and v.content_type_id != version.content_type_id
        }

    before, after = related(older), related(newer)
    return [(label, format_html("<ins>{}</ins>", text)) for label, text in sorted(after - before)] + [
        (label, format_html("<del>{}</del>", text)) for label, text in sorted(before - after)
    ]


def version_changes(model, newer, older):
    return field_changes(model, older.field_dict if older else {}, newer.field_dict) + related_changes(
        older, newer
    )


class VersionDiffAdmin(VersionAdmin):
    """Admin whose history page shows each version's changes; any version can be restored."""

    object_history_template = "admin/version_history.html"

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        versions = list(
            Version.objects.get_for_object_reference(self.model, unquote(object_id)).select_related(
                "revision", "revision__user"
            )
        )  # newest first
        rows = [
            {
                "revision": newer.revision,
                "url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=(quote(newer.object_id), newer.pk),
                ),
                "changes": version_changes(self.model, newer, older),
            }
            for newer, older in zip(versions, [*versions[1:], None], strict=True)
        ]
        return super().history_view(request, object_id, {"history_rows": rows, **(extra_context or {})})
