from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from publications.services import demo_accounts_ensure, demo_content_load


class Command(BaseCommand):
    help = (
        "Load the demo content (reference piece, sample pieces, people) and demo staff accounts. Idempotent."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError("Demo content is refused with these settings (DEMO_CONTENT_ALLOWED is off).")
        created = demo_content_load()
        self.stdout.write(
            self.style.SUCCESS(f"Demo content: {created} objects created (0 means it was already there).")
        )
        for account in demo_accounts_ensure():
            role = account["group"].removesuffix("s").lower()
            self.stdout.write(
                f"Demo {role} login: username {account['username']!r}, password {account['password']!r}"
            )
