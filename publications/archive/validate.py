"""Validation, before anything is written: the shape of every row, then what the rows refer to.

Every problem is collected and reported at once, one line per row and field, naming the row by
its place and natural key: "- publications[3] (a-slug): pdf must be a stored file name ...".
"""

from .checks import REQUIRED, ArchiveError, Invalid, shown
from .columns import single
from .schema import FORMAT, SECTIONS, VERSION, by_name

MAX_REPORTED_PROBLEMS = 20
HEADER = ("format", "version")


def fail(problems):
    shown_problems = problems[:MAX_REPORTED_PROBLEMS]
    more = len(problems) - len(shown_problems)
    lines = [f"- {problem}" for problem in shown_problems] + ([f"- ... and {more} more"] if more else [])
    raise ArchiveError("The archive cannot be imported:\n" + "\n".join(lines))


def _describe(section, index, row):
    if isinstance(row, dict) and all(isinstance(row.get(name), str) for name in section.key):
        return f"{section.name}[{index}] ({', '.join(row[name] for name in section.key)})"
    return f"{section.name}[{index}]"


def _check_header(data):
    if not isinstance(data, dict):
        raise ArchiveError("The archive must be a JSON object.")
    if data.get("format") != FORMAT:
        raise ArchiveError(
            f'This is not a publications archive: "format" is {shown(data.get("format"))}, not {FORMAT!r}.'
        )
    if data.get("version") != VERSION:
        raise ArchiveError(
            f"Archive version {shown(data.get('version'))} is not supported; "
            f"this site reads version {VERSION}."
        )


def _check_row(section, label, row, relative_to, problems):
    """Return the row checked and completed with defaults, adding what is wrong to ``problems``."""
    names = {column.name for column in section.columns}
    problems.extend(f"{label}: unknown field {shown(name)}" for name in sorted(set(row) - names))
    clean = {}
    for column in section.columns:
        if column.name not in row:
            if column.default is REQUIRED:
                problems.append(f"{label}: {column.name} is missing")
            clean[column.name] = column.default_value()
            continue
        try:
            clean[column.name] = column.clean(row[column.name], relative_to)
        except Invalid as exc:
            problems.append(f"{label}: {column.name} {exc}")
    return clean


def _check_section(section, given, relative_to, problems):
    """Return [(label, clean row)] of one section, adding what is wrong to ``problems``."""
    if not isinstance(given, list):
        problems.append(f"{section.name} must be a list")
        return []
    rows, seen = [], set()
    for index, row in enumerate(given):
        label = _describe(section, index, row)
        if not isinstance(row, dict):
            problems.append(f"{label} must be an object")
            continue
        clean = _check_row(section, label, row, relative_to, problems)
        key = tuple(clean.get(name) for name in section.key)
        if key in seen:
            problems.append(f"{label} appears twice")
        seen.add(key)
        rows.append((label, clean))
    return rows


def check_shape(data, relative_to=None):
    """Return {section: [(label, clean row)]}, every value checked; raise ArchiveError.

    ``relative_to`` (a time) lets a time be written relative to it ("+P3D"); see checks.moment.
    """
    _check_header(data)
    known = {*HEADER, *(section.name for section in SECTIONS)}
    problems = [f"unknown section {shown(key)}" for key in sorted(set(data) - known, key=str)]
    rows = {
        section.name: _check_section(section, data.get(section.name, []), relative_to, problems)
        for section in SECTIONS
    }
    if problems:
        fail(problems)
    return rows


class Known:
    """The natural keys a reference may name, per section: the archive's own and the database's."""

    def __init__(self, rows):
        self.rows, self.keys = rows, {}

    def __call__(self, name):
        if name not in self.keys:
            section = by_name(name)
            stored = section.model.objects.values_list(*section.key_lookups())
            self.keys[name] = {section.key_of(row) for _label, row in self.rows[name]} | set(stored)
        return self.keys[name]


def _row_problems(section, row, known):
    for column in section.columns:
        if column.refers_to is None:
            continue
        target = by_name(column.refers_to)
        for key in column.references(row[column.name]):
            if key not in known(target.name):
                yield f"{column.name}: no {target.noun} {single(key)!r} in the archive or the database"
    for rule in section.rules:
        yield from rule(row, known)


def check_references(rows):
    """Raise ArchiveError when a row names what neither the archive nor the database has."""
    known = Known(rows)
    problems = [
        f"{label}: {problem}"
        for section in SECTIONS
        for label, row in rows[section.name]
        for problem in _row_problems(section, row, known)
    ]
    if problems:
        fail(problems)
