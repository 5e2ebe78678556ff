"""The archive's one table: per section, its model, natural key and columns.

Export, validation and import all read it; nothing else spells out a model's fields. A section's
``key`` lists the columns of its model's natural key, in the order ``natural_key()`` returns
them and ``get_by_natural_key()`` takes them; a ``Ref`` or ``Terms`` column names rows of another
section by that section's natural key. Sections are listed in the order they are imported: a
section refers only to sections before it.
"""

from dataclasses import dataclass

from people.models import Appointment, Fellowship, Person

from ..models import Publication, PublicationType, Region, SlugRedirect, Tag, Topic
from . import checks
from .checks import REQUIRED
from .columns import Byline, Column, Moment, Ref, Stamp, Terms

FORMAT = "publications-archive"
VERSION = 1


@dataclass(frozen=True)
class Section:
    name: str
    model: type
    key: tuple
    columns: tuple
    # A written row of a versioned section is kept as a version with its byline and terms, as an
    # editor's save keeps one, and gets its search vector.
    versioned: bool = False
    # Further checks of a row against what is known: rule(row, known) -> [problem, ...], where
    # known(section name) is the set of natural keys in the archive or the database.
    rules: tuple = ()

    @property
    def noun(self):
        return str(self.model._meta.verbose_name)

    def column(self, name):
        return next(column for column in self.columns if column.name == name)

    def key_of(self, row):
        """Return a row's natural key, as ``get_by_natural_key`` takes it."""
        return tuple(row[name] for name in self.key)

    def key_lookups(self):
        """Return the lookups that read natural keys from the database ("person__slug", ...)."""
        lookups = []
        for name in self.key:
            target = self.column(name).refers_to
            lookups.append(f"{name}__{by_name(target).key[0]}" if target else name)
        return lookups


def _text(name, default=REQUIRED):
    return Column(name, checks.text, default)


def _term(name, model):
    return Section(name, model, ("slug",), (_text("slug"), _text("name"), _text("description", "")))


def _old_slug_is_no_address(row, known):
    if (row["old_slug"],) in known("publications"):
        return [f"{row['old_slug']!r} is the address of a publication"]
    return []


SECTIONS = (
    Section(
        "publication_types",
        PublicationType,
        ("slug",),
        (_text("slug"), _text("name"), _text("description", ""), Column("position", checks.integer, 0)),
    ),
    _term("topics", Topic),
    _term("regions", Region),
    Section("tags", Tag, ("slug",), (_text("slug"), _text("name"))),
    Section(
        "fellowships",
        Fellowship,
        ("slug",),
        (
            _text("slug"),
            _text("name"),
            _text("holder_title"),
            _text("bio_title", ""),
            _text("description", ""),
            _text("donor", ""),
        ),
    ),
    Section(
        "people",
        Person,
        ("slug",),
        (
            _text("slug"),
            _text("name"),
            _text("sort_name"),
            _text("job_title", ""),
            _text("short_bio", ""),
            _text("long_bio", ""),
            Column("photo", checks.file_name(Person, "photo"), ""),
            _text("photo_credit", ""),
            _text("expertise", ""),
            Column("is_expert", checks.boolean, False),
            _text("email", ""),
            _text("sample_profile", ""),
        ),
    ),
    Section(
        "appointments",
        Appointment,
        ("person", "fellowship", "start"),
        (
            Ref("person", "people"),
            Ref("fellowship", "fellowships"),
            Column("start", checks.required_day),
            Column("end", checks.day, None),
        ),
    ),
    Section(
        "publications",
        Publication,
        ("slug",),
        (
            _text("slug"),
            _text("title"),
            Ref("type", "publication_types"),
            _text("summary", ""),
            Column("body", checks.html, ""),
            _text("status", Publication.Status.DRAFT),
            Moment("publish_at"),
            Byline("authors"),
            Terms("topics", "topics"),
            Terms("regions", "regions"),
            Terms("tags", "tags"),
            _text("outlet_name", ""),
            _text("outlet_url", ""),
            Column("outlet_date", checks.day, None),
            Column("pdf", checks.file_name(Publication, "pdf"), ""),
            Column("image", checks.file_name(Publication, "image"), ""),
            Column("image_width", checks.optional_integer, None),
            Column("image_height", checks.optional_integer, None),
            _text("image_alt", ""),
            _text("image_credit", ""),
            _text("language", "en"),
            Column("is_featured", checks.boolean, False),
            Column("is_sample", checks.boolean, False),
            Stamp("updated_at"),  # last: after the byline and terms are written
        ),
        versioned=True,
    ),
    Section(
        "slug_redirects",
        SlugRedirect,
        ("old_slug",),
        (_text("old_slug"), Ref("publication", "publications")),
        rules=(_old_slug_is_no_address,),
    ),
)


def by_name(name):
    return next(section for section in SECTIONS if section.name == name)
