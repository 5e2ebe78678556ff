"""Shared fixtures of the alerts' tests: a real SMTP server, the real task worker, subscribers.

``run_worker()`` runs django-tasks-db's own Worker in this process until no task is due (what
``manage.py db_worker --batch`` does), so a test sees exactly what the worker would do.
"""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from alerts.models import Subscriber, Subscription
from alerts.selections import selection_for
from publications.models import Publication
from publications.services.workflow import publication_publish
from tests.factories import PersonFactory, PublicationFactory, TopicFactory, staff_editor

from .smtp import SMTPServer


def run_worker(max_tasks=None):
    """Run every task that is due now (or only ``max_tasks`` of them), then return.

    The worker checks its connection between tasks (close_old_connections); inside a test's
    transaction that would close it, so that check is left out here.
    """
    from django_tasks_db.management.commands import db_worker

    worker = db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()


def tasks(name=None, status=None):
    """Return the queued tasks (django-tasks-db's rows), of the task ``name`` ("send_mailings")."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.all()
    if name:
        rows = rows.filter(task_path__endswith=f".{name}")
    if status:
        rows = rows.filter(status=status)
    return rows


def make_due(name=None):
    """Let every waiting task (of ``name``) run now, as if its time had come."""
    tasks(name, "READY").update(run_after=timezone.now() - datetime.timedelta(seconds=1))


@pytest.fixture
def syria(db):
    return TopicFactory(name="Syria", slug="syria")


@pytest.fixture
def draft(syria):
    authors = [PersonFactory(name="Dana Stroul"), PersonFactory(name="Anna Borshchevskaya")]
    return PublicationFactory(
        title="Assad's fall & what comes next",
        summary="The new order in Damascus.",
        status=Publication.Status.DRAFT,
        publish_at=None,
        topics=[syria],
        authors=authors,
    )


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a piece through the workflow, as an editor in the admin does."""

    def act(piece):
        with django_capture_on_commit_callbacks(execute=True):
            return publication_publish(publication=piece, user=staff_editor())

    return act


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback that the site's mail goes through for this test."""
    with SMTPServer() as server:
        settings.MAILERS = server.mailers(timeout=2)
        yield server


@pytest.fixture
def subscribe(db):
    """Return a function making a subscription: ``subscribe("a@example.org", "topic=syria")``,
    confirmed unless ``confirmed=False``, instant unless ``frequency="weekly"``."""

    def make(email, query="", *, confirmed=True, frequency="instant", failed=False):
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        if failed:
            subscriber.failed_at = timezone.now()
            subscriber.failure = "Hard bounce"
            subscriber.save()
        return Subscription.objects.create(
            subscriber=subscriber,
            selection=selection_for(query),
            frequency=frequency,
            confirmed_at=timezone.now() if confirmed else None,
        )

    return make


@pytest.fixture(autouse=True)
def alerts_urls(settings):
    """Reverse the alerts' links with stand-in views until config/urls.py includes the real ones."""
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("alerts:unsubscribe", args=["x"])
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.alerts.stub_urls"


def run_worker_until_done(seconds=15):
    """Run the worker, waiting for the tasks queued to run within ``seconds`` (retries), until
    none is left (a fan-out's watch, minutes ahead, is not waited for)."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        run_worker()
        soon = timezone.now() + datetime.timedelta(seconds=seconds)
        waiting = tasks(status="READY").filter(run_after__lte=soon).order_by("run_after").first()
        if waiting is None:
            return
        if time.monotonic() > deadline:
            raise AssertionError("tasks still waiting after the deadline")
        time.sleep(max(0.0, min((waiting.run_after - timezone.now()).total_seconds(), 1.0)) + 0.01)


@pytest.fixture(autouse=True)
def one_clock_hour(monkeypatch):
    """Counts start afresh each clock hour: a test running across one would see its limit reset."""
    from alerts import ratelimit

    window = ratelimit.current_window()
    monkeypatch.setattr(ratelimit, "current_window", lambda: window)
