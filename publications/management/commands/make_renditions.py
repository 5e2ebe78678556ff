from django.core.management.base import BaseCommand

from publications.renditions import renditions_ensure


class Command(BaseCommand):
    help = (
        "Make the renditions (AVIF, WebP, JPEG at the widths pages ask for) of every stored image "
        "that has none: pieces' lead images, portraits and the media library. --all remakes them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every image's renditions.")

    def handle(self, *args, **options):
        made, failed = renditions_ensure(every=options["all"])
        for name in failed:
            self.stderr.write(f"Cannot read {name}: it keeps no renditions and its pages show no picture.")
        self.stdout.write(
            self.style.SUCCESS(f"Renditions made for {len(made)} image(s); {len(failed)} unreadable.")
        )
