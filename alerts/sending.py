"""The fan-out of a piece that goes public: one mail to every confirmed subscription it matches.

``dispatch_piece`` runs on the worker when a piece is published, or at its time when scheduled
(alerts/listeners.py). It acts once per piece, ever (a Dispatch per piece): it records every
mailing first, alerts due now and the piece in each weekly digest, then queues ``send_mailings``
tasks over chunks of ALERTS_CHUNK mailings (alerts/delivery.py sends them, each at most once).

Nothing is lost when a worker dies: ``watch_dispatch`` checks on each fan-out every
ALERTS_WATCH_SECONDS until it is done and calls ``resume``, which ``manage.py alerts_resume``
also runs. A mailing left "being sent" by a dead worker goes back in line after
ALERTS_STALE_SECONDS, and pending mailings nobody is sending get a new chunk task. The one mail
in flight when a worker was killed may be sent twice, the only possible duplicate: at most one
per killed worker. Extra chunk tasks are harmless, as each mailing is claimed before it is sent.

An address following several selections that match a piece gets one alert (for its oldest such
subscription), and the piece is not also put in its digest. A piece that leaves the public site
before its mailings are sent is not mailed; its mailings wait, and go out if it comes back
within ALERTS_NEWS_DAYS of its publish time.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from publications.models import Publication

from . import digests
from .delivery import FAILED, PENDING, SENDING, Delivery
from .models import Dispatch, Mailing, Selection, Subscription
from .selections import matches

log = logging.getLogger(__name__)
ALERT, DIGEST = Mailing.Kind.ALERT, Mailing.Kind.DIGEST
WORKER_GONE = "The worker sending it stopped during each of its attempts."


def live_subscriptions():
    """Return the subscriptions mail may go to: confirmed, at an address that has not failed."""
    return Subscription.objects.filter(confirmed_at__isnull=False, subscriber__failed_at__isnull=True)


@task()
def dispatch_piece(publication_id):
    """Record and queue every mailing of a piece that is public now, once."""
    news_since = timezone.now() - datetime.timedelta(days=settings.ALERTS_NEWS_DAYS)
    piece = Publication.objects.published().filter(pk=publication_id).first()
    if piece is None:
        return "not public"  # withdrawn, or rescheduled: the new time has its own task
    if piece.publish_at < news_since:
        return "not news"
    if Dispatch.objects.filter(publication=None, publication_pk=piece.pk).exists():
        return "mailed before it was deleted"  # and recovered since
    with transaction.atomic():
        dispatch, _created = Dispatch.objects.get_or_create(
            publication=piece, defaults={"publication_pk": piece.pk}
        )
        dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        slot = None
        if dispatch.planned_at is None:
            slot = plan(dispatch)
            dispatch.planned_at = timezone.now()
            dispatch.save(update_fields=["planned_at"])
    # Queued once the mailings are committed, so no task finds them missing.
    if slot is not None:
        send_digests.using(run_after=slot).enqueue(slot.isoformat())
    chunks = enqueue_chunks(Mailing.objects.filter(dispatch=dispatch), dispatch.pk)
    if not finish(dispatch.pk):
        watch_dispatch.using(run_after=_later()).enqueue(dispatch.pk)
    return f"{chunks} chunks"


def plan(dispatch):
    """Record the piece's mailings; return the digest slot that needs a send_digests task, if any."""
    selections = Selection.objects.filter(subscriptions__in=live_subscriptions()).distinct()
    matched = [selection.pk for selection in selections if matches(selection, dispatch.publication_id)]
    following = live_subscriptions().filter(selection__in=matched)
    instant = following.filter(frequency=Subscription.Frequency.INSTANT)
    now, seen, alerts, recorded = timezone.now(), set(), [], 0
    for pk, subscriber in instant.order_by("pk").values_list("pk", "subscriber_id").iterator(5000):
        if subscriber not in seen:
            seen.add(subscriber)
            alerts.append(Mailing(kind=ALERT, subscription_id=pk, dispatch=dispatch, due_at=now))
        if len(alerts) == 5000:  # a few thousand rows in memory at a time, whatever the audience
            recorded += len(Mailing.objects.bulk_create(alerts, batch_size=1000, ignore_conflicts=True))
            alerts = []
    recorded += len(Mailing.objects.bulk_create(alerts, batch_size=1000, ignore_conflicts=True))
    weekly = following.filter(frequency=Subscription.Frequency.WEEKLY).exclude(
        subscriber__in=instant.values("subscriber")
    )
    slot = digests.add_piece(weekly, dispatch.publication_id)
    log.info("Piece %s: %s alerts recorded", dispatch.publication_id, recorded)
    return slot


def enqueue_chunks(mailings, dispatch_id):
    """Queue a send_mailings task per ALERTS_CHUNK pending mailings of ``mailings``; return how many."""
    rows = list(mailings.filter(status=PENDING).order_by("pk").values_list("pk", "due_at"))
    size = settings.ALERTS_CHUNK
    for start in range(0, len(rows), size):
        part = rows[start : start + size]
        queue_chunk(dispatch_id, part[0][0], part[-1][0], min(due_at for _pk, due_at in part))
    return -(-len(rows) // size)


def queue_chunk(dispatch_id, first_pk, last_pk, due):
    """Queue a send_mailings task over mailings first_pk..last_pk, to run at ``due`` (now if past)."""
    queued = send_mailings.using(run_after=due) if due > timezone.now() else send_mailings
    queued.enqueue(dispatch_id, first_pk, last_pk)


@task()
def send_mailings(dispatch_id, first_pk, last_pk):
    """Send the pending, due mailings with ids first_pk..last_pk of a piece's fan-out (or, with no
    dispatch, the digests); after a run that tried any, queue itself again at the earliest time
    one that is still pending falls due.

    Mailings put back in line fall due at slightly different times, so a run may find only some
    of them due: the others are pending still, and the next run is for them too. A run that
    found nothing to try (a second task for the same chunk) queues nothing: chunks never multiply."""
    mailings = Mailing.objects.filter(pk__gte=first_pk, pk__lte=last_pk, dispatch_id=dispatch_id)
    if dispatch_id is None:
        mailings = mailings.filter(kind=DIGEST)
        grouped = _digest_pieces(mailings)

        def pieces_of(mailing):
            return grouped.get(mailing.pk, [])
    else:
        dispatch = Dispatch.objects.filter(pk=dispatch_id).first()
        if dispatch is None or not _is_public(dispatch.publication_id):
            return "not public"  # its mailings wait: they go if it comes back (dispatch_piece)

        def pieces_of(mailing):
            return [dispatch.publication_id]

    due = mailings.filter(status=PENDING, due_at__lte=timezone.now()).select_related(
        "subscription__subscriber", "subscription__selection"
    )
    delivery = Delivery()
    delivery.run(list(due), pieces_of)
    tried = any(delivery.counts.values())
    again = mailings.filter(status=PENDING).order_by("due_at").values_list("due_at", flat=True).first()
    if tried and again is not None:
        queue_chunk(dispatch_id, first_pk, last_pk, again)
    if dispatch_id is not None:
        finish(dispatch_id)
    return delivery.counts


def _digest_pieces(mailings):
    """Return {mailing id: [piece ids]} for the pending digests among ``mailings``."""
    grouped = {}
    through = Mailing.pieces.through.objects.filter(mailing__in=mailings.filter(status=PENDING))
    for mailing_id, publication_id in through.values_list("mailing_id", "publication_id"):
        grouped.setdefault(mailing_id, []).append(publication_id)
    return grouped


def finish(dispatch_id):
    """Mark the fan-out finished when none of its mailings waits or is being sent; return whether it is."""
    if Mailing.objects.filter(dispatch_id=dispatch_id, status__in=[PENDING, SENDING]).exists():
        return False
    Dispatch.objects.filter(pk=dispatch_id, finished_at=None).update(finished_at=timezone.now())
    return True


@task()
def send_digests(slot_iso):
    """Send every digest due by now (the slot ``slot_iso`` and any a dead worker left behind)."""
    due = Mailing.objects.filter(kind=DIGEST, dispatch=None, due_at__lte=timezone.now())
    return f"{enqueue_chunks(due, None)} chunks"


@task()
def watch_dispatch(dispatch_id):
    """Check on a piece's fan-out until it is finished, resuming what a dead worker left."""
    dispatch = Dispatch.objects.filter(pk=dispatch_id).first()
    if dispatch is None or dispatch.finished_at or finish(dispatch_id):
        return "finished"
    if not _is_public(dispatch.publication_id):
        return "not public"  # publishing it again resumes it and watches again
    resumed = resume(Mailing.objects.filter(dispatch_id=dispatch_id))
    watch_dispatch.using(run_after=_later()).enqueue(dispatch_id)
    return resumed


def resume(mailings=None, overdue=None):
    """Put back in line the mailings a dead worker left "being sent" (after ALERTS_STALE_SECONDS)
    and queue chunk tasks for the pending ones due more than ``overdue`` seconds ago (by default
    ALERTS_STALE_SECONDS, so those still in the queue's normal course are left to it).

    Return (mailings put back, chunk tasks queued)."""
    mailings = Mailing.objects.all() if mailings is None else mailings
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.ALERTS_STALE_SECONDS)
    left = mailings.filter(status=SENDING, attempted_at__lt=stale)
    # A mail whose every attempt ended with its worker gone (killed while sending it) is not
    # tried for ever: it may be what kills the worker.
    left.filter(attempts__gte=settings.ALERTS_MAX_ATTEMPTS).update(status=FAILED, error=WORKER_GONE)
    back = left.update(status=PENDING)
    if back:
        log.warning("%s mailings left being sent by a stopped worker are back in line", back)
    since = now - datetime.timedelta(seconds=settings.ALERTS_STALE_SECONDS if overdue is None else overdue)
    waiting = mailings.filter(status=PENDING, due_at__lte=since)
    chunks = 0
    for dispatch_id in waiting.order_by().values_list("dispatch_id", flat=True).distinct():
        chunks += enqueue_chunks(waiting.filter(dispatch_id=dispatch_id), dispatch_id)
    return back, chunks


def _is_public(publication_id):
    return Publication.objects.published().filter(pk=publication_id).exists()


def _later():
    return timezone.now() + datetime.timedelta(seconds=settings.ALERTS_WATCH_SECONDS)
