"""Resume the alerts' sending after a worker stopped mid-run (killed, out of memory, a reboot),
and start the alerts' sweep (alerts/sweep.py), which goes on by itself on the worker."""

from django.core.management.base import BaseCommand

from alerts.sweep import catch_up, sweep


class Command(BaseCommand):
    help = (
        "Put back in line the mails a stopped worker left being sent (after ALERTS_STALE_SECONDS) "
        "and queue sending for every mail that waits. Safe to run at any time: no mail marked "
        "sent is sent again. Starts the alerts' sweep, which then runs every ALERTS_WATCH_SECONDS."
    )

    def handle(self, *args, **options):
        _given_up, back, chunks = catch_up(overdue=0)
        sweep.enqueue()  # a second chain, if one runs, ends at its first run
        self.stdout.write(f"{back} mails back in line; {chunks} sending tasks queued.")
