"""The import: every row created or updated by its natural key, all or nothing, only what differs."""

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction

from .. import search
from ..services.editing import record_revision
from .checks import ArchiveError
from .schema import SECTIONS, by_name
from .validate import check_references, check_shape

IMPORT_COMMENT = "Imported from archive"
OUTCOMES = ("created", "updated", "unchanged")


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


class Writer:
    """Writes checked rows section by section, finding every object by its natural key."""

    def __init__(self, *, missing_only, comment):
        self.missing_only, self.comment = missing_only, comment
        self.found = {}  # (section name, natural key) -> object
        self.creating = False  # whether the row being written is new (its after_save columns ask)

    def find(self, name, key):
        """Return the object of a section with this natural key (written or stored), or None."""
        if (name, key) not in self.found:
            model = by_name(name).model
            try:
                self.found[name, key] = model.objects.get_by_natural_key(*key)
            except model.DoesNotExist:
                return None
        return self.found[name, key]

    def write(self, rows, counts):
        for section in SECTIONS:
            written = []
            for label, row in rows[section.name]:
                obj, outcome = self._write_row(section, label, row)
                counts[section.name][outcome] += 1
                written.append(obj.pk)
            if section.versioned and written:
                search.update_vectors(section.model.objects.filter(pk__in=written))

    def _write_row(self, section, label, row):
        key = section.key_of(row)
        obj = self.find(section.name, key)
        if obj is not None and self.missing_only:
            return obj, "unchanged"  # what exists is left as it is, edits and all
        outcome = "updated" if obj else "created"
        self.creating = outcome == "created"
        obj = obj or section.model()
        changed = self._write_fields(section, obj, row, label, created=outcome == "created")
        self.found[section.name, key] = obj
        related = [
            column.sync(obj, row[column.name], self) for column in section.columns if column.after_save
        ]
        if not changed and not any(related):
            return obj, "unchanged"
        if section.versioned:
            record_revision(obj, None, self.comment)  # with its byline and terms
        elif reversion.is_registered(section.model):
            reversion.add_to_revision(obj)
        return obj, outcome

    def _write_fields(self, section, obj, row, label, *, created):
        """Assign what differs, validate and save; return whether anything was saved."""
        columns = [column for column in section.columns if not column.after_save]
        values = {column.name: column.value(row[column.name], self) for column in columns}
        changed = [column for column in columns if created or column.differs(obj, values[column.name])]
        if not changed:
            return False
        for column in changed:
            column.assign(obj, values[column.name])
        _validate(obj, label)
        obj.save()
        return True


def archive_import(data, *, missing_only=False, relative_to=None, comment=IMPORT_COMMENT):
    """Create or update the archive's content by natural key, all or nothing.

    Return {section: {"created": n, "updated": n, "unchanged": n}}. Raise ArchiveError, with
    nothing written, when the archive is malformed or refers to something neither it nor the
    database has. ``missing_only`` creates only what the database lacks and leaves every
    existing object alone; ``relative_to`` (a time) accepts publish times written relative to
    it ("+P3D"). The demo loader uses both; an archive from ``archive_export`` needs neither.
    """
    rows = check_shape(data, relative_to)
    counts = {section.name: dict.fromkeys(OUTCOMES, 0) for section in SECTIONS}
    try:
        # One revision, added to by hand (as the services do): a version of each piece, person,
        # fellowship and appointment written, none of the rows a piece's version already holds.
        with transaction.atomic(), reversion.create_revision(manage_manually=True):
            reversion.set_comment(comment)
            check_references(rows)
            Writer(missing_only=missing_only, comment=comment).write(rows, counts)
    except IntegrityError as exc:
        raise ArchiveError(f"The database refused the archive: {exc}") from None
    return counts
