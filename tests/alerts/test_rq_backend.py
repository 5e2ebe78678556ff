"""Production's task backend: RQ on Redis (TASKS_BACKEND=rq), through django-tasks-rq.

The same tasks, enqueued the same way, run by RQ's own worker (SimpleWorker, in this process so it
sees the test's database, with RQ's scheduler for a scheduled piece): a piece published is mailed
once; a scheduled one only once its time has come, with nobody there.
"""

import datetime
import time

import pytest
import redis
from django.utils import timezone

from publications.services.workflow import publication_schedule
from tests.factories import staff_editor

REDIS = "redis://127.0.0.1:6379/12"


@pytest.fixture
def rq_backend(settings):
    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.RQ_QUEUES = {"default": {"URL": REDIS, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq

    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def run_rq_worker(queue):
    """Run RQ's worker until its queue is empty (moving scheduled jobs that are due first)."""
    from django_tasks_rq import Job
    from rq import SimpleWorker

    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True, with_scheduler=True)


@pytest.mark.django_db
def test_a_published_piece_is_mailed_once_through_rq(rq_backend, smtp_server, subscribe, draft, publish):
    subscribe("reader@example.org", "topic=syria")
    publish(draft)
    assert rq_backend.count >= 1  # on Redis, not run in the request
    assert smtp_server.recipients() == []

    run_rq_worker(rq_backend)
    run_rq_worker(rq_backend)  # nothing left to send: no second mail

    assert smtp_server.recipients() == ["reader@example.org"]


@pytest.mark.django_db
def test_a_scheduled_piece_is_mailed_by_rq_when_its_time_comes(
    rq_backend, smtp_server, subscribe, draft, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", "topic=syria")
    when = timezone.now() + datetime.timedelta(seconds=2)
    with django_capture_on_commit_callbacks(execute=True):
        publication_schedule(publication=draft, user=staff_editor(), publish_at=when)

    run_rq_worker(rq_backend)
    assert smtp_server.recipients() == []  # not yet: the piece is not public

    time.sleep(max(0.0, (when - timezone.now()).total_seconds()) + 1.2)
    run_rq_worker(rq_backend)

    assert smtp_server.recipients() == ["reader@example.org"]
