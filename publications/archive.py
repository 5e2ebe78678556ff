"""A portable JSON archive of the editorial content, and the import that reproduces it.

The archive names every object by its natural key (slugs; an appointment by person, fellowship
and start), never by a database id, so it loads into any database. Its rows are sorted and its
keys too (``archive_dumps``), so two exports of the same content are byte-identical: there is
no export time in it on purpose.

Left out, because they belong to one database: ids, ``created_by``, ``edit_count``,
``search_vector``, ``created_at`` and ``updated_at``, and the version history. File fields are
stored as their storage names; the files themselves are copied with the media directory.

``archive_import`` creates or updates by natural key, all or nothing, and writes only what
differs, so importing the same archive twice changes nothing the second time. It trusts nothing
in the file: ``archive_loads`` refuses text that is not JSON or is nested past reading, and every
value is checked before anything is written: a file name must be a plain name in its field's
upload folder (``publications/pdf/...``, never ``../`` or ``//host/...``), a date or time must
fall between EARLIEST_YEAR and LATEST_YEAR, a number must fit the database.
"""

import datetime
import json
import reprlib

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction

from core.text import strip_control_characters
from core.uploads import media_name_problem, upload_folder
from people.models import Appointment, Fellowship, Person

from . import search
from .models import (
    Authorship,
    Publication,
    PublicationType,
    Region,
    SlugRedirect,
    Tag,
    TaggedRegion,
    TaggedTag,
    TaggedTopic,
    Topic,
)
from .sanitize import sanitize_html
from .services.editing import record_revision

FORMAT = "publications-archive"
VERSION = 1
MAX_REPORTED_PROBLEMS = 20
# Dates and times outside these years are typing errors (or attacks: 9999-12-31T23:00-05:00 is
# past the last moment Python can hold once in UTC); inside them, no time zone overflows.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
LARGEST_INTEGER = 2_147_483_647  # the largest a positive integer column holds on every database


class ArchiveError(ValueError):
    """The archive cannot be imported; the message says why, for a person to read."""


# Export.


def _date(value):
    return value.isoformat() if value else None


def _datetime(value):
    """Return an aware datetime as ISO 8601 in UTC ("2015-11-30T17:00:00Z"), or None."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _sorted(rows, *keys):
    return sorted(rows, key=lambda row: tuple(row[key] for key in keys))


def _terms_by_publication(through):
    """Return {publication id: [term slugs, sorted]} for one taggit through model."""
    terms = {}
    for publication_id, slug in through.objects.values_list("content_object_id", "tag__slug"):
        terms.setdefault(publication_id, []).append(slug)
    return {key: sorted(slugs) for key, slugs in terms.items()}


def archive_export():
    """Return the editorial content as an archive: a dict ready for ``archive_dumps``."""
    vocabularies = {
        key: _sorted(
            [
                {"slug": term.slug, "name": term.name, "description": term.description}
                for term in model.objects.all()
            ],
            "slug",
        )
        for key, model in (("topics", Topic), ("regions", Region))
    }
    topics = _terms_by_publication(TaggedTopic)
    regions = _terms_by_publication(TaggedRegion)
    tags = _terms_by_publication(TaggedTag)
    authors = {}
    for authorship in Authorship.objects.select_related("person").order_by(
        "publication_id", "position", "pk"
    ):
        authors.setdefault(authorship.publication_id, []).append(
            {"person": authorship.person.slug, "bio_line": authorship.bio_line}
        )
    publications = [
        {
            "slug": p.slug,
            "title": p.title,
            "type": p.type.slug,
            "summary": p.summary,
            "body": p.body,
            "status": p.status,
            "publish_at": _datetime(p.publish_at),
            "authors": authors.get(p.pk, []),
            "topics": topics.get(p.pk, []),
            "regions": regions.get(p.pk, []),
            "tags": tags.get(p.pk, []),
            "outlet_name": p.outlet_name,
            "outlet_url": p.outlet_url,
            "outlet_date": _date(p.outlet_date),
            "pdf": p.pdf.name or "",
            "image": p.image.name or "",
            "image_width": p.image_width,
            "image_height": p.image_height,
            "image_alt": p.image_alt,
            "language": p.language,
            "is_featured": p.is_featured,
            "is_sample": p.is_sample,
        }
        for p in Publication.objects.select_related("type")
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "publication_types": _sorted(
            [
                {"slug": t.slug, "name": t.name, "description": t.description, "position": t.position}
                for t in PublicationType.objects.all()
            ],
            "slug",
        ),
        **vocabularies,
        "tags": _sorted([{"slug": t.slug, "name": t.name} for t in Tag.objects.all()], "slug"),
        "fellowships": _sorted(
            [
                {
                    "slug": f.slug,
                    "name": f.name,
                    "holder_title": f.holder_title,
                    "bio_title": f.bio_title,
                    "description": f.description,
                    "donor": f.donor,
                }
                for f in Fellowship.objects.all()
            ],
            "slug",
        ),
        "people": _sorted(
            [
                {
                    "slug": p.slug,
                    "name": p.name,
                    "sort_name": p.sort_name,
                    "job_title": p.job_title,
                    "short_bio": p.short_bio,
                    "long_bio": p.long_bio,
                    "photo": p.photo.name or "",
                    "expertise": p.expertise,
                    "is_expert": p.is_expert,
                }
                for p in Person.objects.all()
            ],
            "slug",
        ),
        "appointments": _sorted(
            [
                {
                    "person": a.person.slug,
                    "fellowship": a.fellowship.slug,
                    "start": _date(a.start),
                    "end": _date(a.end),
                }
                for a in Appointment.objects.select_related("person", "fellowship")
            ],
            "person",
            "fellowship",
            "start",
        ),
        "publications": _sorted(publications, "slug"),
        "slug_redirects": _sorted(
            [
                {"old_slug": r.old_slug, "publication": r.publication.slug}
                for r in SlugRedirect.objects.select_related("publication")
            ],
            "old_slug",
        ),
    }


def archive_dumps(data):
    """Return the archive as JSON text: sorted keys, two-space indent, UTF-8, a final newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def archive_loads(raw, name="The archive"):
    """Return the data in an archive file's bytes, for ``archive_import``; raise ArchiveError.

    ``name`` (the file's) starts the message of an archive that is not UTF-8, not JSON, or nested
    so deeply that reading it would exhaust the stack.
    """
    try:
        return json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except UnicodeDecodeError:
        raise ArchiveError(f"{name} is not UTF-8 text, so it is not a publications archive.") from None
    except json.JSONDecodeError as exc:
        raise ArchiveError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except RecursionError:
        raise ArchiveError(
            f"{name} is not a publications archive: its lists and objects are nested too deeply to read "
            "(an archive nests them only a few levels)."
        ) from None
    except ValueError as exc:  # e.g. a number with thousands of digits
        raise ArchiveError(f"{name} is not valid JSON ({exc}).") from None


# Validation: the shape of every row, then what the rows refer to.


class _Invalid(Exception):
    pass


REQUIRED = object()
_shown = reprlib.Repr(maxlevel=2, maxstring=80, maxother=80).repr  # a bad value, quoted short


def _text(value):
    if not isinstance(value, str):
        raise _Invalid("must be a string")
    return strip_control_characters(value)


def _html(value):
    return strip_control_characters(sanitize_html(_text(value)))


def _integer(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LARGEST_INTEGER:
        raise _Invalid(f"must be a whole number from 0 to {LARGEST_INTEGER}")
    return value


def _optional_integer(value):
    return None if value is None else _integer(value)


def _boolean(value):
    if not isinstance(value, bool):
        raise _Invalid("must be true or false")
    return value


def _in_range(moment, value):
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise _Invalid(f"must be in the years {EARLIEST_YEAR} to {LATEST_YEAR}, not {_shown(value)}")
    return moment


def _day(value):
    if value is None:
        return None
    try:
        day = datetime.date.fromisoformat(_text(value))
    except ValueError:
        raise _Invalid(f"must be a date as YYYY-MM-DD, not {_shown(value)}") from None
    return _in_range(day, value)


def _required_day(value):
    if value is None:
        raise _Invalid("must be a date as YYYY-MM-DD")
    return _day(value)


def _moment(value):
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(_text(value))
    except ValueError:
        raise _Invalid(f"must be an ISO 8601 time, not {_shown(value)}") from None
    if moment.tzinfo is None:
        raise _Invalid(f"must say its time zone (e.g. a final Z for UTC), not {_shown(value)}")
    _in_range(moment, value)  # before converting: a year 9999 or 0001 can overflow in UTC
    return _in_range(moment.astimezone(datetime.UTC), value)


def _slugs(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Invalid("must be a list of slugs")
    if len(set(value)) != len(value):
        raise _Invalid("lists a slug twice")
    return value


def _authors(value):
    if not isinstance(value, list):
        raise _Invalid("must be a list of authors")
    authors = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"person", "bio_line"}:
            raise _Invalid('must list each author as {"person": slug, "bio_line": text}')
        authors.append({"person": _text(item["person"]), "bio_line": _text(item["bio_line"])})
    if len({a["person"] for a in authors}) != len(authors):
        raise _Invalid("lists an author twice")
    return authors


def _file(model, field_name):
    """Return the check of a file field's stored name: "" for none, else a safe name in its folder."""
    folder = upload_folder(model._meta.get_field(field_name))

    def check(value):
        if not isinstance(value, str):
            raise _Invalid("must be a string (a stored file name, or empty for none)")
        problem = value and media_name_problem(value, folder)
        if problem:
            raise _Invalid(f"must be a stored file name in {folder}, not {_shown(value)}: {problem}")
        return value

    return check


TERM = {"slug": (_text, REQUIRED), "name": (_text, REQUIRED), "description": (_text, "")}

# Section: (its natural key, {field: (check, default)}), in the order they are imported.
SECTIONS = {
    "publication_types": (
        ("slug",),
        {
            "slug": (_text, REQUIRED),
            "name": (_text, REQUIRED),
            "description": (_text, ""),
            "position": (_integer, 0),
        },
    ),
    "topics": (("slug",), TERM),
    "regions": (("slug",), TERM),
    "tags": (("slug",), {"slug": (_text, REQUIRED), "name": (_text, REQUIRED)}),
    "fellowships": (
        ("slug",),
        {
            "slug": (_text, REQUIRED),
            "name": (_text, REQUIRED),
            "holder_title": (_text, REQUIRED),
            "bio_title": (_text, ""),
            "description": (_text, ""),
            "donor": (_text, ""),
        },
    ),
    "people": (
        ("slug",),
        {
            "slug": (_text, REQUIRED),
            "name": (_text, REQUIRED),
            "sort_name": (_text, REQUIRED),
            "job_title": (_text, ""),
            "short_bio": (_text, ""),
            "long_bio": (_text, ""),
            "photo": (_file(Person, "photo"), ""),
            "expertise": (_text, ""),
            "is_expert": (_boolean, False),
        },
    ),
    "appointments": (
        ("person", "fellowship", "start"),
        {
            "person": (_text, REQUIRED),
            "fellowship": (_text, REQUIRED),
            "start": (_required_day, REQUIRED),
            "end": (_day, None),
        },
    ),
    "publications": (
        ("slug",),
        {
            "slug": (_text, REQUIRED),
            "title": (_text, REQUIRED),
            "type": (_text, REQUIRED),
            "summary": (_text, ""),
            "body": (_html, ""),
            "status": (_text, Publication.Status.DRAFT),
            "publish_at": (_moment, None),
            "authors": (_authors, []),
            "topics": (_slugs, []),
            "regions": (_slugs, []),
            "tags": (_slugs, []),
            "outlet_name": (_text, ""),
            "outlet_url": (_text, ""),
            "outlet_date": (_day, None),
            "pdf": (_file(Publication, "pdf"), ""),
            "image": (_file(Publication, "image"), ""),
            "image_width": (_optional_integer, None),
            "image_height": (_optional_integer, None),
            "image_alt": (_text, ""),
            "language": (_text, "en"),
            "is_featured": (_boolean, False),
            "is_sample": (_boolean, False),
        },
    ),
    "slug_redirects": (
        ("old_slug",),
        {"old_slug": (_text, REQUIRED), "publication": (_text, REQUIRED)},
    ),
}


def _describe(section, index, row):
    key_fields = SECTIONS[section][0]
    if isinstance(row, dict) and all(isinstance(row.get(k), str) for k in key_fields):
        return f"{section}[{index}] ({', '.join(row[k] for k in key_fields)})"
    return f"{section}[{index}]"


def _fail(problems):
    shown = problems[:MAX_REPORTED_PROBLEMS]
    more = len(problems) - len(shown)
    lines = [f"- {problem}" for problem in shown] + ([f"- ... and {more} more"] if more else [])
    raise ArchiveError("The archive cannot be imported:\n" + "\n".join(lines))


def _check_shape(data):
    """Return the archive's rows, checked and completed with defaults; raise ArchiveError."""
    if not isinstance(data, dict):
        raise ArchiveError("The archive must be a JSON object.")
    if data.get("format") != FORMAT:
        raise ArchiveError(
            f'This is not a publications archive: "format" is {_shown(data.get("format"))}, not {FORMAT!r}.'
        )
    if data.get("version") != VERSION:
        raise ArchiveError(
            f"Archive version {_shown(data.get('version'))} is not supported; "
            f"this site reads version {VERSION}."
        )
    problems = [
        f"unknown section {_shown(key)}" for key in sorted(set(data) - {"format", "version", *SECTIONS})
    ]
    rows = {}
    for section, (key_fields, fields) in SECTIONS.items():
        rows[section] = []
        given = data.get(section, [])
        if not isinstance(given, list):
            problems.append(f"{section} must be a list")
            continue
        seen = set()
        for index, row in enumerate(given):
            label = _describe(section, index, row)
            if not isinstance(row, dict):
                problems.append(f"{label} must be an object")
                continue
            problems.extend(
                f"{label}: unknown field {_shown(name)}" for name in sorted(set(row) - set(fields))
            )
            clean = {}
            for name, (check, default) in fields.items():
                if name not in row:
                    if default is REQUIRED:
                        problems.append(f"{label}: {name} is missing")
                    clean[name] = list(default) if isinstance(default, list) else default
                    continue
                try:
                    clean[name] = check(row[name])
                except _Invalid as exc:
                    problems.append(f"{label}: {name} {exc}")
            key = tuple(clean.get(k) for k in key_fields)
            if key in seen:
                problems.append(f"{label} appears twice")
            seen.add(key)
            rows[section].append(clean)
    if problems:
        _fail(problems)
    return rows


def _known(rows, section, model, field="slug"):
    """Return the natural keys a reference may use: the archive's own and the database's."""
    return {row[field] for row in rows[section]} | set(model.objects.values_list(field, flat=True))


def _check_references(rows):
    types = _known(rows, "publication_types", PublicationType)
    people = _known(rows, "people", Person)
    fellowships = _known(rows, "fellowships", Fellowship)
    publications = _known(rows, "publications", Publication)
    vocabularies = {
        "topics": _known(rows, "topics", Topic),
        "regions": _known(rows, "regions", Region),
        "tags": _known(rows, "tags", Tag),
    }
    problems = []
    for row in rows["appointments"]:
        label = f"appointment of {row['person']!r} to {row['fellowship']!r} from {row['start']}"
        if row["person"] not in people:
            problems.append(f"{label}: no person {row['person']!r} in the archive or the database")
        if row["fellowship"] not in fellowships:
            problems.append(f"{label}: no fellowship {row['fellowship']!r} in the archive or the database")
    for row in rows["publications"]:
        label = f"publication {row['slug']!r}"
        if row["type"] not in types:
            problems.append(f"{label}: no publication type {row['type']!r} in the archive or the database")
        for author in row["authors"]:
            if author["person"] not in people:
                problems.append(f"{label}: no person {author['person']!r} in the archive or the database")
        for section, known in vocabularies.items():
            for slug in row[section]:
                if slug not in known:
                    problems.append(f"{label}: no {section[:-1]} {slug!r} in the archive or the database")
    for row in rows["slug_redirects"]:
        label = f"slug redirect {row['old_slug']!r}"
        if row["publication"] not in publications:
            problems.append(f"{label}: no publication {row['publication']!r} in the archive or the database")
        if row["old_slug"] in publications:
            problems.append(f"{label}: {row['old_slug']!r} is the address of a publication")
    if problems:
        _fail(problems)


# Import.


def _differs(obj, name, value):
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) != value.pk
    current = getattr(obj, name)
    if isinstance(field, models.FileField):
        return (current.name or "") != value
    return current != value


def _assign(obj, name, value):
    field = obj._meta.get_field(name)
    if isinstance(field, models.FileField):
        # Past the descriptor: assigning through it would open the image to measure it, and the
        # files may not have been copied yet. The archive carries the dimensions.
        obj.__dict__[field.attname] = value
    else:
        setattr(obj, name, value)


def _validate(obj, label):
    # File fields are only names here: cleaning them would open the file (to measure an image),
    # and the upload checks are for new uploads anyway. Their length is all there is to check.
    files = [field for field in obj._meta.fields if isinstance(field, models.FileField)]
    errors = {
        field.name: [f"{getattr(obj, field.attname).name!r} is longer than {field.max_length} characters."]
        for field in files
        if len(getattr(obj, field.attname).name or "") > field.max_length
    }
    try:
        obj.full_clean(exclude=[field.name for field in files])
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        details = " ".join(
            " ".join(ValidationError(messages).messages)
            if field == NON_FIELD_ERRORS
            else f"{field}: {' '.join(ValidationError(messages).messages)}"
            for field, messages in errors.items()
        )
        raise ArchiveError(f"The archive cannot be imported: {label}: {details}") from None


def _upsert(model, lookup, values, label):
    """Create or update one object by its natural key; return (object, "created"/"updated"/"unchanged")."""
    obj = model.objects.filter(**lookup).first()
    outcome = "updated"
    if obj is None:
        obj, outcome = model(**lookup), "created"
    changed = [name for name, value in values.items() if outcome == "created" or _differs(obj, name, value)]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        _assign(obj, name, values[name])
    _validate(obj, label)
    obj.save()
    return obj, outcome


def _sync_authorships(publication, authors, people):
    """Make the byline exactly the archive's, bio lines included; return whether anything changed."""
    wanted = [(people[a["person"]], position, a["bio_line"]) for position, a in enumerate(authors)]
    existing = {a.person_id: a for a in publication.authorships.all()}
    changed = False
    for person_id, authorship in existing.items():
        if person_id not in {person.pk for person, _, _ in wanted}:
            authorship.delete()
            changed = True
    for person, position, bio_line in wanted:
        authorship = existing.get(person.pk)
        if authorship and authorship.position == position and authorship.bio_line == bio_line:
            continue
        changed = True
        authorship = authorship or Authorship(person=person)
        authorship.publication = publication
        authorship.position, authorship.bio_line = position, bio_line
        authorship.save()  # the archive's bio line stands, even an empty one
    return changed


def _sync_terms(manager, model, slugs):
    if set(manager.values_list("slug", flat=True)) == set(slugs):
        return False
    manager.set(list(model.objects.filter(slug__in=slugs)))
    return True


def _import(rows, counts):
    def upsert(section, model, lookup, values, label):
        obj, outcome = _upsert(model, lookup, values, label)
        counts[section][outcome] += 1
        return obj

    def plain(row, *names):
        return {name: row[name] for name in names}

    for row in rows["publication_types"]:
        upsert(
            "publication_types",
            PublicationType,
            {"slug": row["slug"]},
            plain(row, "name", "description", "position"),
            f"publication type {row['slug']!r}",
        )
    for section, model in (("topics", Topic), ("regions", Region)):
        for row in rows[section]:
            upsert(
                section,
                model,
                {"slug": row["slug"]},
                plain(row, "name", "description"),
                f"{section[:-1]} {row['slug']!r}",
            )
    for row in rows["tags"]:
        upsert("tags", Tag, {"slug": row["slug"]}, plain(row, "name"), f"tag {row['slug']!r}")
    for row in rows["fellowships"]:
        upsert(
            "fellowships",
            Fellowship,
            {"slug": row["slug"]},
            plain(row, "name", "holder_title", "bio_title", "description", "donor"),
            f"fellowship {row['slug']!r}",
        )
    for row in rows["people"]:
        upsert(
            "people",
            Person,
            {"slug": row["slug"]},
            plain(
                row,
                "name",
                "sort_name",
                "job_title",
                "short_bio",
                "long_bio",
                "photo",
                "expertise",
                "is_expert",
            ),
            f"person {row['slug']!r}",
        )
    people = {person.slug: person for person in Person.objects.all()}
    fellowships = {fellowship.slug: fellowship for fellowship in Fellowship.objects.all()}
    for row in rows["appointments"]:
        upsert(
            "appointments",
            Appointment,
            {
                "person": people[row["person"]],
                "fellowship": fellowships[row["fellowship"]],
                "start": row["start"],
            },
            {"end": row["end"]},
            f"appointment of {row['person']!r} to {row['fellowship']!r} from {row['start']}",
        )
    types = {kind.slug: kind for kind in PublicationType.objects.all()}
    for row in rows["publications"]:
        values = plain(
            row,
            "title",
            "summary",
            "body",
            "status",
            "publish_at",
            "outlet_name",
            "outlet_url",
            "outlet_date",
            "pdf",
            "image",
            "image_width",
            "image_height",
            "image_alt",
            "language",
            "is_featured",
            "is_sample",
        )
        values["type"] = types[row["type"]]
        publication, outcome = _upsert(
            Publication, {"slug": row["slug"]}, values, f"publication {row['slug']!r}"
        )
        related_changed = _sync_authorships(publication, row["authors"], people)
        for section, model in (("topics", Topic), ("regions", Region), ("tags", Tag)):
            related_changed |= _sync_terms(getattr(publication, section), model, row[section])
        if related_changed:
            outcome = "updated" if outcome == "unchanged" else outcome
        if outcome != "unchanged":
            record_revision(publication, None, "Imported from archive")  # with its byline and terms
        counts["publications"][outcome] += 1
    search.update_vectors(Publication.objects.filter(slug__in=[row["slug"] for row in rows["publications"]]))
    publications = {publication.slug: publication for publication in Publication.objects.all()}
    for row in rows["slug_redirects"]:
        upsert(
            "slug_redirects",
            SlugRedirect,
            {"old_slug": row["old_slug"]},
            {"publication": publications[row["publication"]]},
            f"slug redirect {row['old_slug']!r}",
        )


def archive_import(data):
    """Create or update the archive's content by natural key, all or nothing.

    Return {section: {"created": n, "updated": n, "unchanged": n}}. Raise ArchiveError, with
    nothing written, when the archive is malformed or refers to something neither it nor the
    database has.
    """
    rows = _check_shape(data)
    counts = {section: dict.fromkeys(("created", "updated", "unchanged"), 0) for section in SECTIONS}
    try:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment("Imported from archive")
            _check_references(rows)
            _import(rows, counts)
    except IntegrityError as exc:
        raise ArchiveError(f"The database refused the archive: {exc}") from None
    return counts
