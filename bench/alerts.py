"""The alerts' benchmark: one piece to 100,000 subscriptions through real workers and SMTP.

    .venv/bin/python bench/alerts.py [--subscribers 100000] [--workers 2]

Under bench/settings.py (production's), on PostgreSQL (BENCH_ALERTS_DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/alerts_bench, created if missing and emptied of subscribers
first). It subscribes the addresses (bulk, confirmed), starts an SMTP sink on 127.0.0.1:8126 in
its own process that counts the mails each address receives, starts ``manage.py db_worker``
processes (one per core by default), publishes one piece through the workflow as an editor does,
and waits until every mailing is sent. It prints the sends per second, each worker's peak
memory, and whether every subscriber got exactly one mail, by the sink's count.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import databases, project  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_ALERTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alerts_bench")
SINK_PORT = 8126
DOMAIN = "bench.invalid"


def sink(port, counts_file):
    """Run an SMTP server counting the mails per recipient; write the counts on SIGTERM."""
    from aiosmtpd.controller import Controller

    counts = Counter()

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            counts.update(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    Path(counts_file + ".ready").touch()

    def stop(*_args):
        controller.stop()
        Path(counts_file).write_text(json.dumps(counts))
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    while True:
        time.sleep(3600)


def prepare(count):
    """Migrate, empty the alerts and the task queue, subscribe ``count`` addresses; return a draft."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from alerts.models import Dispatch, Mailing, Subscriber, Subscription
    from alerts.selections import selection_for
    from publications.models import Publication, PublicationType

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    tables = [model._meta.db_table for model in (DBTaskResult, Mailing.pieces.through, Mailing, Dispatch)]
    tables += [Subscription._meta.db_table, Subscriber._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    kind, _created = PublicationType.objects.get_or_create(
        slug="policywatch", defaults={"name": "PolicyWatch"}
    )
    stamp = int(time.time())
    piece = Publication.objects.create(
        title=f"The bench's piece {stamp}",
        slug=f"bench-alerts-{stamp}",
        type=kind,
        summary="What a hundred thousand readers get in their inbox.",
        body="<p>One paragraph.</p>",
    )
    selection = selection_for("")
    now = timezone.now()
    started = time.monotonic()
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{i}@{DOMAIN}") for i in range(count)], batch_size=5000
    )
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber_id=pk, selection=selection, confirmed_at=now)
            for pk in Subscriber.objects.values_list("pk", flat=True)
        ],
        batch_size=5000,
    )
    project.log(f"{count} confirmed subscriptions in {time.monotonic() - started:.1f} s")
    return piece


def publish(piece):
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from publications.services.workflow import publication_publish

    editor, _created = get_user_model().objects.get_or_create(
        username="bench-alerts-editor", defaults={"is_superuser": True, "is_staff": True}
    )
    with transaction.atomic():
        publication_publish(publication=piece, user=editor)


def peak_memory_mb(pid):
    """Return a process's peak resident memory (Linux's VmHWM; else psutil's current RSS)."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def wait_until_sent(piece, count, timeout):
    from alerts.models import Mailing

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = Mailing.objects.filter(dispatch__publication=piece).exclude(status__in=["pending", "sending"])
        if done.count() >= count:
            return True
        time.sleep(0.5)
    return False


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--sink", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        return sink(SINK_PORT, args.sink)

    environ = {
        "DATABASE_URL": DATABASE_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": SINK_PORT,
        "SITE_URL": "https://www.example.org",
        "TASKS_BACKEND": "database",
    }
    databases.ensure(DATABASE_URL)
    project.setup_django(**environ)
    piece = prepare(args.subscribers)

    counts_file = tempfile.mktemp(prefix="alerts-sink-", suffix=".json")
    sink_process = subprocess.Popen([project.PYTHON, __file__, "--sink", counts_file], cwd=project.ROOT)
    while not Path(counts_file + ".ready").exists():
        time.sleep(0.05)
    env = project.server_env(**environ)
    command = [project.PYTHON, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"]
    workers = [subprocess.Popen(command, cwd=project.ROOT, env=env) for _ in range(args.workers)]
    try:
        started = time.monotonic()
        publish(piece)
        finished = wait_until_sent(piece, args.subscribers, args.timeout)
        elapsed = time.monotonic() - started
        memory = [peak_memory_mb(worker.pid) for worker in workers]
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        for worker in workers:
            worker.wait(30)
        sink_process.terminate()
        sink_process.wait(30)
    report(piece, args, elapsed, finished, memory, json.loads(Path(counts_file).read_text()))


def report(piece, args, elapsed, finished, memory, counts):
    from django.db.models import Max, Min

    from alerts.models import Mailing

    mailings = Mailing.objects.filter(dispatch__publication=piece)
    sent = mailings.filter(status="sent")
    window = sent.aggregate(first=Min("attempted_at"), last=Max("sent_at"))
    sending_seconds = (window["last"] - window["first"]).total_seconds() if window["first"] else float("nan")
    expected = {f"reader{i}@{DOMAIN}" for i in range(args.subscribers)}
    exactly_once = set(counts) == expected and set(counts.values()) == {1}
    print()
    print(f"subscriptions:             {args.subscribers}")
    print(f"workers:                   {args.workers} (manage.py db_worker), chunks of {chunk()}")
    print(f"mailings sent:             {sent.count()} (failed {mailings.filter(status='failed').count()})")
    print(f"mails the sink received:   {sum(counts.values())} for {len(counts)} addresses")
    print(f"publish to last send:      {elapsed:.1f} s{'' if finished else ' (timed out)'}")
    print(
        f"sends per second:          {sent.count() / elapsed:.0f} (first to last send: "
        f"{sent.count() / sending_seconds:.0f})"
    )
    print("worker peak memory (RSS):  " + ", ".join(f"{mb:.0f} MB" for mb in memory))
    print(f"every subscriber got exactly one mail: {'yes' if exactly_once else 'no'}")


def chunk():
    from django.conf import settings

    return settings.ALERTS_CHUNK


if __name__ == "__main__":
    main()
