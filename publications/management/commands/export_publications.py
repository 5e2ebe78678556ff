from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publications.archive import archive_dumps, archive_export


class Command(BaseCommand):
    help = (
        "Write the editorial content (types, topics, regions, tags, people, fellowships, appointments, "
        "publications in every status, slug redirects) as a portable JSON archive keyed by slugs. "
        "Two exports of the same content are byte-identical."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args, **options):
        data = archive_export()
        text = archive_dumps(data)
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        try:
            Path(options["output"]).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror or exc}") from None
        self.stderr.write(
            f"Exported {len(data['publications'])} publications and {len(data['people'])} people "
            f"to {options['output']}."
        )
