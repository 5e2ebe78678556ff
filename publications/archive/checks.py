"""How an archive's values are checked: each check returns the clean value or raises Invalid.

A check trusts nothing: a string must be a string, a number must fit a database column, a date
or time must fall between EARLIEST_YEAR and LATEST_YEAR, a file name must be a plain name in its
field's upload folder. The message completes "<row>: <field> ..." for a person to read.
"""

import datetime
import re
import reprlib

from core.text import strip_control_characters
from core.uploads import media_name_problem, upload_folder

from ..sanitize import sanitize_html

# Dates and times outside these years are typing errors (or attacks: 9999-12-31T23:00-05:00 is
# past the last moment Python can hold once in UTC); inside them, no time zone overflows.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
LARGEST_INTEGER = 2_147_483_647  # the largest a positive integer column holds on every database
# A time relative to loading, for demo content only: "+P3D" is three days after, "-P30D" before.
RELATIVE_TIME = re.compile(r"([+-])P(\d{1,5})D")

REQUIRED = object()  # the default of a field every row must give
shown = reprlib.Repr(maxlevel=2, maxstring=80, maxother=80).repr  # a bad value, quoted short


class ArchiveError(ValueError):
    """The archive cannot be imported; the message says why, for a person to read."""


class Invalid(Exception):
    """A value is refused; the message says what it must be."""


def text(value):
    if not isinstance(value, str):
        raise Invalid("must be a string")
    return strip_control_characters(value)


def html(value):
    return strip_control_characters(sanitize_html(text(value)))


def integer(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LARGEST_INTEGER:
        raise Invalid(f"must be a whole number from 0 to {LARGEST_INTEGER}")
    return value


def optional_integer(value):
    return None if value is None else integer(value)


def boolean(value):
    if not isinstance(value, bool):
        raise Invalid("must be true or false")
    return value


def _in_range(moment, value):
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise Invalid(f"must be in the years {EARLIEST_YEAR} to {LATEST_YEAR}, not {shown(value)}")
    return moment


def day(value):
    if value is None:
        return None
    try:
        found = datetime.date.fromisoformat(text(value))
    except ValueError:
        raise Invalid(f"must be a date as YYYY-MM-DD, not {shown(value)}") from None
    return _in_range(found, value)


def required_day(value):
    if value is None:
        raise Invalid("must be a date as YYYY-MM-DD")
    return day(value)


def moment(value, relative_to=None):
    """Return an aware time in UTC, or None.

    With ``relative_to`` (a time: the demo loader's "now"), "+P3D" is also accepted: that time,
    to the minute, three days on. Without it a relative time is refused.
    """
    if value is None:
        return None
    written = text(value)
    relative = RELATIVE_TIME.fullmatch(written)
    if relative:
        return _relative(relative, value, relative_to)
    try:
        found = datetime.datetime.fromisoformat(written)
    except ValueError:
        raise Invalid(f"must be an ISO 8601 time, not {shown(value)}") from None
    if found.tzinfo is None:
        raise Invalid(f"must say its time zone (e.g. a final Z for UTC), not {shown(value)}")
    _in_range(found, value)  # before converting: a year 9999 or 0001 can overflow in UTC
    return _in_range(found.astimezone(datetime.UTC), value)


def _relative(match, value, relative_to):
    if relative_to is None:
        raise Invalid(
            f"must be an ISO 8601 time, not {shown(value)}: a time relative to loading is for "
            "demo content only"
        )
    sign, days = match.groups()
    offset = datetime.timedelta(days=int(days) * (1 if sign == "+" else -1))
    start = relative_to.astimezone(datetime.UTC).replace(second=0, microsecond=0)
    return _in_range(start + offset, value)


def slugs(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid("must be a list of slugs")
    if len(set(value)) != len(value):
        raise Invalid("lists a slug twice")
    return value


def authors(value):
    if not isinstance(value, list):
        raise Invalid("must be a list of authors")
    found = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"person", "bio_line"}:
            raise Invalid('must list each author as {"person": slug, "bio_line": text}')
        found.append({"person": text(item["person"]), "bio_line": text(item["bio_line"])})
    if len({author["person"] for author in found}) != len(found):
        raise Invalid("lists an author twice")
    return found


def file_name(model, field_name):
    """Return the check of a file field's stored name: "" for none, else a safe name in its folder."""
    folder = upload_folder(model._meta.get_field(field_name))

    def check(value):
        if not isinstance(value, str):
            raise Invalid("must be a string (a stored file name, or empty for none)")
        problem = value and media_name_problem(value, folder)
        if problem:
            raise Invalid(f"must be a stored file name in {folder}, not {shown(value)}: {problem}")
        return value

    return check
