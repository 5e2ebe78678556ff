"""Resume the alerts' sending after a worker stopped mid-run (killed, out of memory, a reboot)."""

from django.core.management.base import BaseCommand

from alerts.sending import resume


class Command(BaseCommand):
    help = (
        "Put back in line the mails a stopped worker left being sent (after ALERTS_STALE_SECONDS) "
        "and queue sending for every mail that waits. Safe to run at any time: no mail marked "
        "sent is sent again."
    )

    def handle(self, *args, **options):
        back, chunks = resume(overdue=0)
        self.stdout.write(f"{back} mails back in line; {chunks} sending tasks queued.")
