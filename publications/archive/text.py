"""An archive as text: written in one canonical form, read without trusting the file."""

import json

from .checks import ArchiveError


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
