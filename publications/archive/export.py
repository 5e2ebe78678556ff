"""The export: every section of the table, every row named by natural keys, rows sorted."""

from .schema import FORMAT, SECTIONS, VERSION


def archive_export():
    """Return the editorial content as an archive: a dict ready for ``archive_dumps``."""
    return {"format": FORMAT, "version": VERSION, **{s.name: _export(s) for s in SECTIONS}}


def _export(section):
    dumpers = {column.name: column.dumper(section.model) for column in section.columns}
    related = [column.name for column in section.columns if column.refers_to and not column.after_save]
    objects = section.model.objects.select_related(*related) if related else section.model.objects.all()
    rows = [{name: dump(obj) for name, dump in dumpers.items()} for obj in objects]
    return sorted(rows, key=lambda row: tuple(row[name] for name in section.key))
