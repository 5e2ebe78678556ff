"""When the mail server refuses, times out or a worker dies: nothing lost, nothing doubled."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from alerts.models import Dispatch, Mailing
from alerts.sending import send_mailings

from .conftest import make_due, run_worker, run_worker_until_done, tasks

pytestmark = pytest.mark.django_db
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.ALERTS_RETRY_SECONDS = 0.3
    settings.ALERTS_MAX_ATTEMPTS = 3


def readers(subscribe, count):
    addresses = [f"reader{i}@example.org" for i in range(count)]
    for address in addresses:
        subscribe(address, "topic=syria")
    return addresses


def test_a_refused_mail_is_tried_again_with_backoff_then_delivered_once(
    smtp_server, subscribe, draft, publish
):
    readers(subscribe, 1)
    smtp_server.refuse(2)
    publish(draft)
    run_worker()

    mailing = Mailing.objects.get()
    assert (mailing.status, mailing.attempts) == (PENDING, 1)
    assert mailing.error == "The mail server answered 451 4.3.0 Try again later"
    first_wait = mailing.due_at - mailing.attempted_at
    assert datetime.timedelta(seconds=0.3) <= first_wait < datetime.timedelta(seconds=0.6)
    time.sleep(first_wait.total_seconds())
    make_due("send_mailings")
    run_worker()
    mailing.refresh_from_db()
    assert (mailing.status, mailing.attempts) == (PENDING, 2)
    assert mailing.due_at - mailing.attempted_at >= datetime.timedelta(seconds=0.6)  # the wait doubles

    run_worker_until_done()
    mailing.refresh_from_db()
    assert (mailing.status, mailing.attempts, mailing.error) == (SENT, 3, "")
    assert smtp_server.recipients() == ["reader0@example.org"]
    assert Dispatch.objects.get().finished_at is not None


def test_a_server_that_always_refuses_fails_each_mail_after_the_last_attempt(
    smtp_server, subscribe, draft, publish
):
    readers(subscribe, 3)
    smtp_server.refuse(1000, permanent=True)
    publish(draft)
    run_worker_until_done()

    assert smtp_server.messages == []
    assert set(Mailing.objects.values_list("status", "attempts")) == {(FAILED, 3)}
    assert all("@" not in error for error in Mailing.objects.values_list("error", flat=True))
    assert Dispatch.objects.get().finished_at is not None

    smtp_server.refuse(0)
    run_worker_until_done()  # nothing is left to try: a failed mail stays failed
    assert smtp_server.messages == []


def test_mails_put_back_in_line_at_different_times_are_each_tried_again(
    smtp_server, subscribe, draft, publish
):
    """A chunk's retries fall due a few milliseconds apart (more on a slow database): a run that
    finds only the first due, and fails it for good, still leaves a task for the others."""
    readers(subscribe, 2)
    smtp_server.refuse(1000, permanent=True)
    publish(draft)
    run_worker()  # both refused once, put back in line
    first, second = Mailing.objects.order_by("pk")
    now = timezone.now()
    Mailing.objects.filter(pk=first.pk).update(attempts=2, due_at=now - datetime.timedelta(seconds=1))
    later = now + datetime.timedelta(minutes=5)
    Mailing.objects.filter(pk=second.pk).update(due_at=later)
    make_due("send_mailings")
    run_worker()

    first.refresh_from_db()
    assert (first.status, first.attempts) == (FAILED, 3)  # its last attempt: nothing to retry
    waiting = tasks("send_mailings", "READY")
    assert [task.run_after for task in waiting] == [later]  # the second is not forgotten

    smtp_server.refuse(0)
    Mailing.objects.filter(pk=second.pk).update(due_at=now)
    make_due("send_mailings")
    run_worker_until_done()
    assert smtp_server.recipients() == ["reader1@example.org"]
    assert Dispatch.objects.get().finished_at is not None


def test_a_second_task_for_the_same_chunk_ends_without_multiplying(
    smtp_server, subscribe, draft, publish, settings
):
    settings.ALERTS_RETRY_SECONDS = 60  # the retries stay in the future for this test
    readers(subscribe, 2)
    smtp_server.refuse(1000)
    publish(draft)
    run_worker()  # both refused, put back in line; the chunk's next run is queued
    [following] = tasks("send_mailings", "READY")
    first, last = Mailing.objects.order_by("pk").values_list("pk", flat=True)
    send_mailings.enqueue(Dispatch.objects.get().pk, first, last)  # as a resume would

    run_worker()  # the extra task finds nothing due yet
    assert list(tasks("send_mailings", "READY")) == [following]


def test_an_address_the_server_refuses_fails_that_mail_only(smtp_server, subscribe, draft, publish, caplog):
    readers(subscribe, 2)
    smtp_server.refuse_recipients("reader0@example.org")
    publish(draft)
    run_worker_until_done()

    refused = Mailing.objects.get(subscription__subscriber__email="reader0@example.org")
    assert (refused.status, refused.attempts) == (FAILED, 1)
    assert refused.error == "The mail server refused the address: 550 5.1.1 No such user here"
    assert smtp_server.recipients() == ["reader1@example.org"]
    assert "reader0@example.org" not in caplog.text


def test_a_server_that_times_out_is_tried_again_and_the_rest_of_the_chunk_waits(
    smtp_server, subscribe, draft, publish, settings
):
    settings.MAILERS = smtp_server.mailers(timeout=1)
    readers(subscribe, 3)
    smtp_server.hang()
    publish(draft)
    run_worker()

    first, *others = Mailing.objects.order_by("pk")
    assert (first.status, first.attempts, first.error) == (
        PENDING,
        1,
        "The mail server did not answer in time.",
    )
    assert all(other.status == PENDING and other.attempts == 0 for other in others)
    assert all(other.due_at >= first.due_at for other in others)  # they wait for the server with it

    smtp_server.hang(False)
    run_worker_until_done()
    assert sorted(smtp_server.recipients()) == [
        "reader0@example.org",
        "reader1@example.org",
        "reader2@example.org",
    ]
    assert set(Mailing.objects.values_list("status", flat=True)) == {SENT}


def test_a_worker_stopped_between_chunks_leaves_nothing_for_the_next_to_double(
    smtp_server, subscribe, draft, publish, settings
):
    settings.ALERTS_CHUNK = 2
    addresses = readers(subscribe, 5)
    publish(draft)
    while not smtp_server.messages:  # one task at a time: the fan-out, then its first chunk...
        run_worker(max_tasks=1)
    assert len(smtp_server.messages) == 2  # ...and the worker is gone

    run_worker()  # a new worker
    assert sorted(smtp_server.recipients()) == sorted(addresses)


def test_a_worker_killed_mid_chunk_is_resumed_by_the_watch_without_doubles(
    smtp_server, subscribe, draft, publish, settings
):
    settings.ALERTS_STALE_SECONDS = 60
    addresses = readers(subscribe, 4)
    publish(draft)
    run_worker(max_tasks=1)  # the fan-out is recorded and its one chunk queued
    # The worker took the chunk, sent the first mail and marked it, had the second on the wire,
    # and was killed: its task stays RUNNING for ever, the second mail "sending".
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    tasks("send_mailings").update(status="RUNNING", started_at=long_ago)
    sent, in_flight, *_rest = Mailing.objects.order_by("pk")
    Mailing.objects.filter(pk=sent.pk).update(
        status=SENT, sent_at=long_ago, attempts=1, attempted_at=long_ago
    )
    Mailing.objects.filter(pk=in_flight.pk).update(status=SENDING, attempts=1, attempted_at=long_ago)
    Mailing.objects.update(due_at=long_ago)

    make_due("watch_dispatch")
    run_worker()

    received = Counter(smtp_server.recipients())
    assert received == Counter(addresses[1:])  # the one marked sent is not sent again
    assert Dispatch.objects.get().finished_at is not None


def test_alerts_resume_puts_back_what_a_stopped_worker_left_and_queues_it(
    smtp_server, subscribe, draft, publish, settings
):
    settings.ALERTS_STALE_SECONDS = 60
    addresses = readers(subscribe, 3)
    publish(draft)
    run_worker(max_tasks=1)
    tasks("send_mailings").update(status="RUNNING")  # a dead worker's
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Mailing.objects.filter(pk=Mailing.objects.order_by("pk")[0].pk).update(
        status=SENDING, attempted_at=long_ago
    )

    out = io.StringIO()
    call_command("alerts_resume", stdout=out)
    assert out.getvalue().strip() == "1 mails back in line; 1 sending tasks queued."
    run_worker()
    assert sorted(smtp_server.recipients()) == addresses


def test_a_mail_whose_every_attempt_died_with_its_worker_is_given_up(
    smtp_server, subscribe, draft, publish, settings
):
    settings.ALERTS_STALE_SECONDS = 60
    readers(subscribe, 2)
    publish(draft)
    run_worker(max_tasks=1)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    deadly, other = Mailing.objects.order_by("pk")
    Mailing.objects.filter(pk=deadly.pk).update(status=SENDING, attempts=3, attempted_at=long_ago)
    Mailing.objects.filter(pk=other.pk).update(status=SENDING, attempts=1, attempted_at=long_ago)

    call_command("alerts_resume", stdout=io.StringIO())
    run_worker()

    deadly.refresh_from_db()
    assert (deadly.status, deadly.error) == (
        FAILED,
        "The worker sending it stopped during each of its attempts.",
    )
    assert smtp_server.recipients() == ["reader1@example.org"]


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="a second process shares the test database on PostgreSQL only",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_killed_mid_run_is_resumed_with_at_most_the_one_mail_in_flight_again(
    smtp_server, subscribe, draft, publish, settings
):
    settings.ALERTS_CHUNK = 5
    addresses = readers(subscribe, 20)
    smtp_server.handler.delay = 0.05
    publish(draft)
    worker = start_worker(smtp_server.port)
    try:
        deadline = time.monotonic() + 30
        while len(smtp_server.messages) < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)  # no chance to finish, or to tidy up
    finally:
        worker.wait(10)
    assert 6 <= len(smtp_server.messages) < 20
    left_sending = set(
        Mailing.objects.filter(status=SENDING).values_list("subscription__subscriber__email", flat=True)
    )
    assert len(left_sending) <= 1

    start_worker(smtp_server.port, "--batch").wait(60)  # restarted: the chunks nobody took
    settings.ALERTS_STALE_SECONDS = 0
    call_command("alerts_resume", stdout=io.StringIO())
    run_worker()

    received = Counter(smtp_server.recipients())
    assert set(received) == set(addresses)  # nobody missed
    doubled = {address for address, count in received.items() if count > 1}
    assert doubled <= left_sending  # only the mail on the wire at the kill, if any, came twice
    assert set(Mailing.objects.values_list("status", flat=True)) == {SENT}


def start_worker(port, *args):
    """Start `manage.py db_worker` on the test database, mailing through the test's SMTP server."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    environ = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.alerts.worker_settings",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "5",
    }
    command = [sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay", *args]
    return subprocess.Popen(command, env=environ, cwd=django_settings.BASE_DIR, stdout=subprocess.DEVNULL)
