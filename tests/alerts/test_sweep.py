"""The alerts' sweep: what a lost task or a dead worker left is mailed, once, by the worker itself."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Dispatch, Mailing
from alerts.sweep import DELETED, MARK, NOT_NEWS
from publications.models import Publication
from tests.factories import PublicationFactory

from .conftest import make_due, run_worker, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_sweep_running():
    cache.delete(MARK)
    yield
    cache.delete(MARK)


def start_sweep():
    call_command("alerts_resume", stdout=io.StringIO())
    run_worker()


def lost(syria, minutes_ago=10, **fields):
    """A piece public for some minutes whose dispatch task never ran (the queue was down)."""
    return PublicationFactory(
        topics=[syria], publish_at=timezone.now() - datetime.timedelta(minutes=minutes_ago), **fields
    )


def test_a_piece_whose_task_was_lost_is_mailed_by_the_sweep_once(smtp_server, subscribe, syria):
    subscribe("reader@example.org", "topic=syria")
    piece = lost(syria)
    lost(syria, minutes_ago=1)  # just published: its own task is still in the queue, left to it
    PublicationFactory(topics=[syria], publish_at=timezone.now() - datetime.timedelta(days=30))  # old
    PublicationFactory(topics=[syria], status=Publication.Status.DRAFT, publish_at=None)

    start_sweep()
    assert smtp_server.recipients() == ["reader@example.org"]
    assert list(Dispatch.objects.values_list("publication", flat=True)) == [piece.pk]

    cache.delete(MARK)
    make_due("sweep")
    run_worker()  # the next run: nothing more
    assert len(smtp_server.messages) == 1


def test_the_sweep_goes_on_by_itself_and_never_runs_twice_at_once(settings, syria):
    start_sweep()
    [following] = tasks("sweep", "READY")
    expected = timezone.now() + datetime.timedelta(seconds=settings.ALERTS_WATCH_SECONDS)
    assert abs((following.run_after - expected).total_seconds()) < 30

    start_sweep()  # a worker started again: its sweep finds the first one's mark and ends
    assert tasks("sweep", "READY").count() == 1


def test_mail_of_a_piece_no_longer_news_is_given_up_not_sent_late(smtp_server, subscribe, syria, settings):
    subscription = subscribe("reader@example.org", "topic=syria")
    old = PublicationFactory(topics=[syria], publish_at=timezone.now() - datetime.timedelta(days=5))
    dispatch = Dispatch.objects.create(publication=old, planned_at=timezone.now())
    long_ago = timezone.now() - datetime.timedelta(days=4)
    waiting = Mailing.objects.create(
        kind="alert", subscription=subscription, dispatch=dispatch, due_at=long_ago
    )

    start_sweep()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.error) == ("failed", NOT_NEWS)
    assert smtp_server.messages == []


def test_a_deleted_piece_recovered_and_published_again_is_not_mailed_twice(
    smtp_server, subscribe, syria, draft, publish
):
    subscribe("reader@example.org", "topic=syria")
    subscribe("late@example.org", "topic=syria")
    piece = publish(draft)
    run_worker(max_tasks=1)  # planned; its chunk not sent yet
    Mailing.objects.filter(subscription__subscriber__email="reader@example.org").update(status="sent")
    pk = piece.pk
    Publication.objects.get(pk=pk).delete()

    start_sweep()  # the alert still waiting for a deleted piece is given up, never sent
    assert set(Mailing.objects.values_list("status", "error")) == {("sent", ""), ("failed", DELETED)}

    recovered = PublicationFactory(pk=pk, topics=[syria], status=Publication.Status.DRAFT, publish_at=None)
    publish(recovered)
    run_worker()
    assert smtp_server.messages == []  # its readers heard of it before it was deleted
    assert Dispatch.objects.count() == 1
