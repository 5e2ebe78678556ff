"""The alerts' safety net: a task the worker runs every ALERTS_WATCH_SECONDS, queueing its own
next run (``manage.py alerts_resume``, which ``make run`` and ``make worker`` run as a worker
starts, starts it; no cron job).

Each run:

- dispatches a public piece of the last ALERTS_NEWS_DAYS that was never planned: its task was
  lost (the queue was down when it was published, a worker was killed while planning it);
- gives up the waiting mail of a piece that is no longer news (withdrawn in mid-sending and
  published again days later, or a mail server down for days), or was deleted: it is marked
  failed, not sent late;
- resumes what dead workers left (``sending.resume``), for public pieces and digests.

Only one chain of runs goes on: a run that finds another's recent mark in the shared cache ends
without queueing a next one, so starting workers again and again never multiplies it.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from publications.models import Publication

from .delivery import FAILED, PENDING
from .models import Mailing
from .sending import dispatch_piece, resume

MARK = "alerts:sweep"
NOT_NEWS = "Not sent: the piece was no longer news when it could be."
DELETED = "Not sent: the piece was deleted."


@task()
def sweep():
    """Mail what should have gone and did not; return what was done."""
    interval = settings.ALERTS_WATCH_SECONDS
    if not cache.add(MARK, timezone.now().isoformat(), timeout=max(interval * 0.9, 1)):
        return "another sweep runs"
    now = timezone.now()
    if sweep.get_backend().supports_defer:  # first, so a failure below never ends the chain
        sweep.using(run_after=now + datetime.timedelta(seconds=interval)).enqueue()
    news_since = now - datetime.timedelta(days=settings.ALERTS_NEWS_DAYS)
    # Left alone for ALERTS_STALE_SECONDS: a piece just published has its own task in the queue.
    settled = now - datetime.timedelta(seconds=settings.ALERTS_STALE_SECONDS)
    missed = list(
        Publication.objects.published()
        .filter(publish_at__gte=news_since, publish_at__lte=settled)
        .filter(Q(dispatch=None) | Q(dispatch__planned_at=None))
        .values_list("pk", flat=True)
    )
    for publication_id in missed:
        dispatch_piece.enqueue(publication_id)
    given_up, back, chunks = catch_up()
    return {"dispatched": len(missed), "no longer news": given_up, "back in line": back, "chunks": chunks}


def catch_up(overdue=None):
    """Give up mail that is no longer news, then resume what dead workers left (``sending.resume``
    with ``overdue``) for public pieces and digests; return (given up, back in line, chunks)."""
    given_up = give_up_old_news()
    back, chunks = resume(resumable(), overdue)
    return given_up, back, chunks


def give_up_old_news():
    """Mark failed the waiting alerts of pieces published more than ALERTS_NEWS_DAYS ago, or
    deleted since; return how many."""
    news_since = timezone.now() - datetime.timedelta(days=settings.ALERTS_NEWS_DAYS)
    stale = Mailing.objects.filter(status=PENDING, dispatch__publication__publish_at__lt=news_since)
    deleted = Mailing.objects.filter(status=PENDING, dispatch__isnull=False, dispatch__publication=None)
    return stale.update(status=FAILED, error=NOT_NEWS) + deleted.update(status=FAILED, error=DELETED)


def resumable():
    """The mailings worth resuming: digests, and alerts of pieces that are public."""
    public = Publication.objects.published().values("pk")
    return Mailing.objects.filter(Q(dispatch=None) | Q(dispatch__publication__in=public))
