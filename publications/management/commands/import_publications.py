import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publications.archive import ArchiveError, archive_import, archive_loads
from publications.renditions import renditions_ensure


class Command(BaseCommand):
    help = (
        "Create or update the content of a publications archive (made by export_publications) by "
        "slug, in one transaction: all or nothing. Importing the same archive again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The archive to read; - reads standard input.")

    def handle(self, *args, **options):
        name = options["file"]
        try:
            raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror or exc}") from None
        try:
            counts = archive_import(archive_loads(raw, name))
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        for section, outcome in counts.items():
            if any(outcome.values()):
                label = section.replace("_", " ")
                self.stdout.write(
                    f"{label}: {outcome['created']} created, {outcome['updated']} updated, "
                    f"{outcome['unchanged']} unchanged"
                )
        made, failed = renditions_ensure()  # the archive's images: only those without renditions
        if made or failed:
            self.stdout.write(f"renditions: {len(made)} image(s) made, {len(failed)} unreadable")
        self.stdout.write(self.style.SUCCESS(f"Imported {name}."))
