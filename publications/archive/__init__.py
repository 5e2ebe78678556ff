"""A portable JSON archive of the editorial content, and the import that reproduces it.

The archive names every object by its natural key (``natural_key()`` on each model: slugs; an
appointment by person, fellowship and start), never by a database id, so it loads into any
database. Its rows are sorted and its keys too (``archive_dumps``), so two exports of the same
content are byte-identical: there is no export time in it on purpose.

Left out, because they belong to one database: ids, ``created_by``, ``edit_count``,
``search_vector``, ``created_at`` and the version history. A piece's ``updated_at``, the time of
its last real change, is kept: feeds and sitemaps show it, and an import must not move it to now.
File fields are stored as their storage names; the files themselves are copied with the media
directory.

One table (``schema.SECTIONS``: per model its natural key and its columns, each column knowing
how it is checked, exported and written) drives the export (``export``), the checks
(``validate``) and the import (``importer``). ``archive_import`` creates or updates by natural
key, all or nothing, and writes only what differs, so importing the same archive twice changes
nothing the second time. It trusts nothing in the file: ``archive_loads`` refuses text that is
not JSON or is nested past reading, and every value is checked before anything is written: a
file name must be a plain name in its field's upload folder (``publications/pdf/...``, never
``../`` or ``//host/...``), a date or time must fall between EARLIEST_YEAR and LATEST_YEAR, a
number must fit the database. The demo content (publications/demo/) is two such archives.
"""

from .checks import EARLIEST_YEAR, LARGEST_INTEGER, LATEST_YEAR, ArchiveError
from .export import archive_export
from .importer import IMPORT_COMMENT, archive_import
from .schema import FORMAT, SECTIONS, VERSION
from .text import archive_dumps, archive_loads
from .validate import MAX_REPORTED_PROBLEMS

__all__ = [
    "EARLIEST_YEAR",
    "FORMAT",
    "IMPORT_COMMENT",
    "LARGEST_INTEGER",
    "LATEST_YEAR",
    "MAX_REPORTED_PROBLEMS",
    "SECTIONS",
    "VERSION",
    "ArchiveError",
    "archive_dumps",
    "archive_export",
    "archive_import",
    "archive_loads",
]
