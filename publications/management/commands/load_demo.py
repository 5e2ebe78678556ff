from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from publications.services import demo_content_load, demo_editor_ensure


class Command(BaseCommand):
    help = "Load the demo content (reference piece, sample pieces, people) and a demo editor. Idempotent."

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError("Demo content is refused with these settings (DEMO_CONTENT_ALLOWED is off).")
        created = demo_content_load()
        login = demo_editor_ensure()
        self.stdout.write(
            self.style.SUCCESS(f"Demo content: {created} objects created (0 means it was already there).")
        )
        self.stdout.write(
            f"Demo editor login: username {login['username']!r}, password {login['password']!r}"
        )
