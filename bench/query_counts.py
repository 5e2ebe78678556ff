"""Print SQL queries and server time per public page against the current database.

.venv/bin/python bench/query_counts.py            # the demo SQLite database (make demo)
DATABASE_URL=postgres://... .venv/bin/python bench/query_counts.py

Under bench/settings.py (production's settings), the page cache off.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import project  # noqa: E402
from bench.harness.timing import p50, p95, time_page  # noqa: E402

project.setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from people.models import Fellowship, Person  # noqa: E402
from publications.models import Publication, Topic  # noqa: E402


def pages():
    piece = Publication.objects.published().newest_first().first()
    if piece is None:
        sys.exit("No published piece: run `python manage.py load_demo` first.")
    person = piece.authors.first()
    return {
        "home": "/",
        "listing": "/policy-analysis/",
        "piece": reverse("publications:detail", kwargs={"slug": piece.slug}),
        "expert": reverse("publications:expert", kwargs={"slug": person.slug}),
        "experts": "/experts/",
        "fellowship": Fellowship.objects.first().get_absolute_url(),
        "topic": Topic.objects.first().get_absolute_url(),
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
    }


@override_settings(PAGE_CACHE_SECONDS=0)  # measure the pages, not the page cache
def main(repeat=50):
    urls = pages()
    project.collect_static()  # production's pages name hashed static files
    client = Client()
    print(f"{Publication.objects.count()} pieces, {Person.objects.count()} people, {connection.vendor}")
    print(f"{'page':<12}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for name, url in urls.items():
        status, queries, times = time_page(client, url, repeat)
        assert status == 200, url
        print(f"{name:<12}{queries:>8}{p50(times):>9.1f}{p95(times):>9.1f}")


if __name__ == "__main__":
    main()
