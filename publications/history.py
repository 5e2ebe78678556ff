"""What changed between two states of a piece, as an editor reads it.

Fields as paragraph-and-word diffs, authors and terms as names added or removed, nothing else:
a row the save did not touch never appears.
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from core.history import word_diff
from people.models import Person

from .models import Publication, PublicationType, Region, Tag, Topic
from .services.editing import FIELDS, TERMS, label, same

VOCABULARIES = {"topics": Topic, "regions": Region, "tags": Tag}


class Names:
    """Look up the names of the people, types and terms a set of states mention, in one go."""

    def __init__(self, states):
        states = [s for s in states if s]
        people = {p for s in states for p, _line in s.get("authors") or []}
        self.people = dict(Person.objects.filter(pk__in=people).values_list("pk", "name"))
        self.types = dict(PublicationType.objects.values_list("pk", "name"))
        self.terms = {
            key: dict(
                model.objects.filter(pk__in={t for s in states for t in s.get(key) or []}).values_list(
                    "pk", "name"
                )
            )
            for key, model in VOCABULARIES.items()
        }

    def person(self, pk):
        return self.people.get(pk) or _("(deleted person #%(id)s)") % {"id": pk}

    def term(self, key, pk):
        return self.terms[key].get(pk) or _("(deleted #%(id)s)") % {"id": pk}


def _value(name, value, names):
    if name == "type":
        return names.types.get(value, "")
    if name in ("is_featured", "is_sample"):
        return _("yes") if value else _("no")
    if name == "language":
        return dict(Publication._meta.get_field("language").flatchoices).get(value, value)
    return "" if value is None else str(value)


def _listed(items, tag):
    return format_html_join(", ", "<" + tag + ">{}</" + tag + ">", ((item,) for item in items))


def _authors_diff(old, new, names):
    old_people, new_people = [p for p, _l in old], [p for p, _l in new]
    parts = []
    added = [names.person(p) for p in new_people if p not in old_people]
    removed = [names.person(p) for p in old_people if p not in new_people]
    if added:
        parts.append(format_html("{} {}", _("Added:"), _listed(added, "ins")))
    if removed:
        parts.append(format_html("{} {}", _("Removed:"), _listed(removed, "del")))
    kept_old = [p for p in old_people if p in new_people]
    kept_new = [p for p in new_people if p in old_people]
    if kept_old != kept_new:
        parts.append(format_html("{} {}", _("New order:"), ", ".join(names.person(p) for p in new_people)))
    old_lines = dict(old)
    for person, line in new:
        if person in old_lines and old_lines[person] != line:
            parts.append(
                format_html(
                    "{} {}: {}", _("Bio line of"), names.person(person), word_diff(old_lines[person], line)
                )
            )
    return format_html_join("", "<div>{}</div>", ((part,) for part in parts))


def _terms_diff(key, old, new, names):
    parts = []
    added = sorted(names.term(key, t) for t in set(new) - set(old))
    removed = sorted(names.term(key, t) for t in set(old) - set(new))
    if added:
        parts.append(format_html("{} {}", _("Added:"), _listed(added, "ins")))
    if removed:
        parts.append(format_html("{} {}", _("Removed:"), _listed(removed, "del")))
    return format_html_join(" ", "<div>{}</div>", ((part,) for part in parts))


def value_html(key, value, names):
    """Return one value of a state for display: text, a byline, a list of terms."""
    if key == "authors":
        return format_html_join("", "<div>{}</div>", ((names.person(p),) for p, _line in value or []))
    if key in TERMS:
        return ", ".join(sorted(names.term(key, t) for t in value or [])) or "—"
    return _value(key, value, names) or "—"


def key_diff(key, old, new, names):
    """Return the diff of one key between two values, as HTML."""
    if key == "authors":
        return _authors_diff(old or [], new or [], names)
    if key in TERMS:
        return _terms_diff(key, old or [], new or [], names)
    return word_diff(_value(key, old, names), _value(key, new, names))


def state_changes(old, new, names):
    """Return (label, diff HTML) for each key that differs between two states of a piece."""
    old = old or {}
    return [
        (label(key), key_diff(key, old.get(key), new.get(key), names))
        for key in (*FIELDS, "authors", *TERMS)
        if not same(key, old.get(key), new.get(key))
    ]
