"""Print SQL queries and server time per public page against the current database.

.venv/bin/python bench/query_counts.py            # the demo SQLite database
DATABASE_URL=postgres://... .venv/bin/python bench/query_counts.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from people.models import Fellowship, Person  # noqa: E402
from publications.models import Publication, Topic  # noqa: E402


def main(repeat=50):
    piece = Publication.objects.published().newest_first().first()
    if piece is None:
        sys.exit("No published piece: run `python manage.py load_demo` first.")
    person = piece.authors.first()
    pages = {
        "home": "/",
        "listing": "/policy-analysis/",
        "piece": piece.get_absolute_url(),
        "expert": person.get_absolute_url(),
        "experts": "/experts/",
        "fellowship": Fellowship.objects.first().get_absolute_url(),
        "topic": Topic.objects.first().get_absolute_url(),
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
    }
    client = Client()
    settings.PAGE_CACHE_SECONDS = 0  # measure the pages, not the page cache
    print(f"{Publication.objects.count()} pieces, {Person.objects.count()} people, {connection.vendor}")
    print(f"{'page':<12}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for name, url in pages.items():
        reset_queries()  # DEBUG logs every query in a bounded deque; start each page empty
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:<12}{len(captured):>8}{statistics.median(times):>9.1f}{p95:>9.1f}")


if __name__ == "__main__":
    main()
