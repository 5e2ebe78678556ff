"""The kinds of column a section has: each knows how it is exported, checked and written.

A column is named after its model field. ``Column`` holds a value (a date as YYYY-MM-DD, a time
in UTC, a file by its stored name); ``Ref`` a foreign key, written as the natural key of the row
it names; ``Terms`` a piece's topics, regions or tags, as a list of their natural keys;
``Byline`` a piece's authors in order, each with the bio line stored for them; ``Stamp`` the
time of its last real change. ``Terms``, ``Byline`` and ``Stamp`` are written after their row is
saved (``after_save``).
"""

import datetime

from django.db import models

from . import checks
from .checks import REQUIRED


def single(key):
    """Return a natural key as the archive writes it: one string when it has one part."""
    return key[0] if len(key) == 1 else list(key)


def _utc(value):
    """Return an aware datetime as ISO 8601 in UTC ("2015-11-30T17:00:00Z"), or None."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _iso(value):
    return value.isoformat() if value else None


class Column:
    """A model field's value, checked by ``check``; ``default`` when a row leaves it out."""

    after_save = False
    refers_to = None  # the name of the section whose natural keys the column holds

    def __init__(self, name, check, default=REQUIRED):
        self.name, self.check, self.default = name, check, default

    def clean(self, value, relative_to=None):
        return self.check(value)

    def default_value(self):
        return list(self.default) if isinstance(self.default, list) else self.default

    def references(self, value):
        """Return the natural keys (tuples) the value names in ``refers_to``."""
        return ()

    def dumper(self, model):
        """Return the function giving an object's value in the archive (it may read in bulk first)."""
        field = model._meta.get_field(self.name)
        if isinstance(field, models.DateTimeField):
            return lambda obj: _utc(getattr(obj, self.name))
        if isinstance(field, models.DateField):
            return lambda obj: _iso(getattr(obj, self.name))
        if isinstance(field, models.FileField):
            return lambda obj: getattr(obj, self.name).name or ""
        return lambda obj: getattr(obj, self.name)

    def value(self, clean, writer):
        """Return what is assigned to the model field for a checked archive value."""
        return clean

    def differs(self, obj, value):
        field = obj._meta.get_field(self.name)
        current = getattr(obj, self.name)
        if isinstance(field, models.FileField):
            return (current.name or "") != value
        return current != value

    def assign(self, obj, value):
        field = obj._meta.get_field(self.name)
        if isinstance(field, models.FileField):
            # Past the descriptor: assigning through it would open the image to measure it, and
            # the files may not have been copied yet. The archive carries the dimensions.
            obj.__dict__[field.attname] = value
        else:
            setattr(obj, self.name, value)


class Moment(Column):
    """A time with its zone; relative ("+P3D") only where the loader passes ``relative_to``."""

    def __init__(self, name, default=None):
        super().__init__(name, checks.moment, default)

    def clean(self, value, relative_to=None):
        return checks.moment(value, relative_to)


class Stamp(Moment):
    """When the row last changed for real (an ``auto_now`` field, which any save sets to now).

    Written after the row is saved, so an import keeps the archive's time. A row created without
    one (an archive from before the column, the demo) last changed when it was published, as far
    as anyone knows, or when it is imported if it never was.
    """

    after_save = True

    def sync(self, obj, value, writer):
        """Store the archive's time; return False: a time alone is no change to keep a version of."""
        if value is None and writer.creating:
            published = obj.publish_at
            value = min(published, obj.updated_at) if published else None
        if value is not None and getattr(obj, self.name) != value:
            type(obj).objects.filter(pk=obj.pk).update(**{self.name: value})
            setattr(obj, self.name, value)
        return False


class Ref(Column):
    """A foreign key, written as the natural key of the row it names in section ``refers_to``."""

    def __init__(self, name, refers_to, default=REQUIRED):
        super().__init__(name, checks.text, default)
        self.refers_to = refers_to

    def references(self, value):
        return [(value,)]

    def dumper(self, model):
        return lambda obj: single(getattr(obj, self.name).natural_key())

    def value(self, clean, writer):
        return writer.find(self.refers_to, (clean,))

    def differs(self, obj, value):
        return getattr(obj, obj._meta.get_field(self.name).attname) != value.pk

    def assign(self, obj, value):
        setattr(obj, self.name, value)


class Terms(Column):
    """A piece's terms through a taggit manager, as the sorted natural keys of section ``refers_to``."""

    after_save = True

    def __init__(self, name, refers_to):
        super().__init__(name, checks.slugs, [])
        self.refers_to = refers_to

    def references(self, value):
        return [(slug,) for slug in value]

    def dumper(self, model):
        through = model._meta.get_field(self.name).remote_field.through
        terms = {}
        for item in through.objects.select_related("tag"):
            terms.setdefault(item.content_object_id, []).append(single(item.tag.natural_key()))
        return lambda obj: sorted(terms.get(obj.pk, []))

    def sync(self, obj, value, writer):
        """Make the object's terms exactly ``value``; return whether anything changed."""
        manager = getattr(obj, self.name)
        if {term.natural_key() for term in manager.all()} == {(slug,) for slug in value}:
            return False
        manager.set([writer.find(self.refers_to, (slug,)) for slug in value])
        return True


class Byline(Column):
    """A piece's authors in byline order, each {"person": natural key, "bio_line": as stored}."""

    after_save = True
    refers_to = "people"

    def __init__(self, name):
        super().__init__(name, checks.authors, [])

    def references(self, value):
        return [(author["person"],) for author in value]

    def dumper(self, model):
        through = model._meta.get_field(self.name).remote_field.through
        authors = {}
        for authorship in through.objects.select_related("person").order_by(
            "publication_id", "position", "pk"
        ):
            authors.setdefault(authorship.publication_id, []).append(
                {"person": single(authorship.person.natural_key()), "bio_line": authorship.bio_line}
            )
        return lambda obj: authors.get(obj.pk, [])

    def sync(self, obj, value, writer):
        """Make the byline exactly the archive's, bio lines included; return whether anything changed."""
        through = obj._meta.get_field(self.name).remote_field.through
        wanted = [(writer.find("people", (a["person"],)), a["bio_line"]) for a in value]
        existing = {
            authorship.person_id: authorship for authorship in through.objects.filter(publication=obj)
        }
        gone = set(existing) - {person.pk for person, _line in wanted}
        for person_id in gone:
            existing[person_id].delete()
        changed = bool(gone)
        for position, (person, bio_line) in enumerate(wanted):
            authorship = existing.get(person.pk)
            if authorship and (authorship.position, authorship.bio_line) == (position, bio_line):
                continue
            authorship = authorship or through(person=person, publication=obj)
            authorship.position, authorship.bio_line = position, bio_line
            authorship.save()  # the archive's bio line stands, even an empty one
            changed = True
        return changed
