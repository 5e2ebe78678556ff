"""Version history in the admin: every save listed with who, when and what changed, as a diff.

Built on django-reversion's VersionAdmin, which keeps the versions and restores any of them
(and recovers deleted objects).
"""

import difflib
import html
import re

from django.contrib.admin.utils import quote, unquote
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

# Bookkeeping fields whose change is not news to an editor.
SKIPPED_FIELDS = {"edit_count", "updated_at", "created_at", "id", "search_vector"}


BLOCK = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|caption|td|th|tr|pre)>|<br\s*/?>|<hr\s*/?>", re.I)


def paragraphs(value):
    """Return the readable paragraphs of a text or HTML fragment, each as a list of words."""
    blocks = BLOCK.split(str(value or ""))
    words = (html.unescape(strip_tags(block)).split() for block in blocks)
    return [block for block in words if block]


def _words(before, after):
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
    return " ".join(parts)


def word_diff(old, new):
    """Return HTML marking what changed between two texts: paragraph by paragraph, and word by
    word inside a changed paragraph (<del> for removed words, <ins> for added ones).

    Unchanged paragraphs are left out (a mark says how many), so a long body's diff stays short.
    """
    before, after = paragraphs(old), paragraphs(new)
    if len(before) <= 1 and len(after) <= 1:
        return mark_safe(_words(before[0] if before else [], after[0] if after else []))
    keys = [" ".join(words) for words in before], [" ".join(words) for words in after]
    out = []
    matcher = difflib.SequenceMatcher(a=keys[0], b=keys[1], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            count = a2 - a1
            out.append(
                format_html(
                    '<p class="diff-same">{}</p>',
                    ngettext("(%d paragraph unchanged)", "(%d paragraphs unchanged)", count) % count,
                )
            )
            continue
        old_blocks, new_blocks = before[a1:a2], after[b1:b2]
        for index in range(max(len(old_blocks), len(new_blocks))):
            one = old_blocks[index] if index < len(old_blocks) else []
            other = new_blocks[index] if index < len(new_blocks) else []
            out.append(format_html("<p>{}</p>", mark_safe(_words(one, other))))
    return mark_safe("".join(str(part) for part in out))


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
    """Return lines for related rows (appointments, authors...) added or removed between two
    versions: only rows that point at this object, not the others a bulk revision also holds."""

    def related(version):
        if version is None:
            return set()
        rows = set()
        for v in version.revision.version_set.select_related("content_type"):
            model = v.content_type.model_class()
            if v.pk == version.pk or model is None or not _points_at(model, v, version):
                continue
            rows.add((str(model._meta.verbose_name).capitalize(), v.object_repr))
        return rows

    before, after = related(older), related(newer)
    return [(label, format_html("<ins>{}</ins>", text)) for label, text in sorted(after - before)] + [
        (label, format_html("<del>{}</del>", text)) for label, text in sorted(before - after)
    ]


def _points_at(model, version, target):
    owner = target.content_type.model_class()
    return any(
        field.is_relation
        and field.many_to_one
        and field.related_model is owner
        and str(version.field_dict.get(field.attname)) == str(target.object_id)
        for field in model._meta.concrete_fields
    )


def version_changes(model, newer, older):
    return field_changes(model, older.field_dict if older else {}, newer.field_dict) + related_changes(
        older, newer
    )


class VersionDiffAdmin(VersionAdmin):
    """Admin whose history page shows each version's changes; any version can be restored."""

    object_history_template = "admin/version_history.html"

    def history_view(self, request, object_id, extra_context=None):
        context = {"history_rows": self.history_rows(request, object_id), **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def history_rows(self, request, object_id):
        """Return the history page's rows, newest first: revision, link and what it changed."""
        opts = self.model._meta
        versions = list(
            Version.objects.get_for_object_reference(self.model, unquote(object_id)).select_related(
                "revision", "revision__user"
            )
        )  # newest first
        return [
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
