"""Weekly digests: a piece followed weekly waits in its subscription's digest for the next slot.

There is one digest mailing per subscription and slot (ALERTS_DIGEST_WEEKDAY at
ALERTS_DIGEST_HOUR, in TIME_ZONE), gathering the pieces that went public during the week; at the
slot the worker sends each (sending.send_digests) with the pieces still public then, newest first.
A digest whose every piece has gone private since is marked failed, "nothing left to send",
rather than mailed empty, so the admin's record of a subscription's mail stays whole.

A piece that goes public in the last CUTOFF before a slot waits for the slot after: the digests
of that slot may be going out already, and one read before the piece was added would miss it.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import Mailing

DIGEST = Mailing.Kind.DIGEST
CUTOFF = datetime.timedelta(minutes=10)


def next_slot(now=None):
    """Return the next digest time strictly after ``now``."""
    local = timezone.localtime(now or timezone.now())
    zone = local.tzinfo
    day = local.date() + datetime.timedelta(days=(settings.ALERTS_DIGEST_WEEKDAY - local.weekday()) % 7)
    slot = datetime.datetime.combine(day, datetime.time(settings.ALERTS_DIGEST_HOUR), tzinfo=zone)
    if slot <= local:
        slot = datetime.datetime.combine(
            day + datetime.timedelta(days=7), datetime.time(settings.ALERTS_DIGEST_HOUR), tzinfo=zone
        )
    return slot


def add_piece(subscriptions, publication_id):
    """Put the piece in the next digest of each of ``subscriptions`` (a queryset); return the slot
    when this made its first digest (a send_digests task must be queued for it), else None."""
    ids = list(subscriptions.values_list("pk", flat=True))
    if not ids:
        return None
    slot = next_slot(timezone.now() + CUTOFF)
    first = not Mailing.objects.filter(kind=DIGEST, due_at=slot).exists()
    Mailing.objects.bulk_create(
        [Mailing(kind=DIGEST, subscription_id=pk, due_at=slot) for pk in ids],
        batch_size=1000,
        ignore_conflicts=True,
    )
    digests = Mailing.objects.filter(
        kind=DIGEST, due_at=slot, status=Mailing.Status.PENDING, subscription__in=subscriptions
    )
    Through = Mailing.pieces.through
    Through.objects.bulk_create(
        [
            Through(mailing_id=pk, publication_id=publication_id)
            for pk in digests.values_list("pk", flat=True)
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return slot if first else None
