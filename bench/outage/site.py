"""The site under test: its database (fresh demo content, or one reused) and the pages to load.

python -m bench.outage.site     # prints the pages of DATABASE_URL's site as JSON (read_pages)
"""

import json
import subprocess

from bench.harness import databases, project

DEFAULT_DATABASE = "publications_faults"
# Demo content and its editor account are refused under production settings: loaded with dev's.
PREPARE_SETTINGS = "config.settings.dev"
DEMO_ACCOUNTS = "from publications.services import demo_accounts_ensure; demo_accounts_ensure()"


def prepare_database(database_url, server_url):
    """Reuse ``database_url`` (adding the demo editor) or make a fresh one with the demo content.

    Return (the database's URL, whether it was created here).
    """
    url = database_url or databases.with_name(server_url, DEFAULT_DATABASE)
    env = project.server_env(PREPARE_SETTINGS, DATABASE_URL=url)
    if database_url:
        project.log(f"Reusing {databases.name(url)}; making sure the demo editor exists")
    else:
        project.log(f"Creating {DEFAULT_DATABASE}, migrating, loading the demo content")
        databases.create(url, replace=True)
    project.manage("migrate", "--noinput", "-v0", env=env)
    if database_url:
        project.manage("shell", "-c", DEMO_ACCOUNTS, env=env, quiet=True)
    else:
        project.manage("load_demo", env=env, quiet=True)
    return url, not database_url


def read_pages(database_url):
    """Return site_pages() of ``database_url``, read in a process of its own (bench/settings.py)."""
    command = [project.PYTHON, "-m", "bench.outage.site"]
    env = project.server_env(DATABASE_URL=database_url)
    out = subprocess.run(command, cwd=project.ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def site_pages():
    """Return the pages the load goes over and the piece the edit check changes."""
    from django.urls import reverse

    from people.models import Person
    from publications.models import Publication, Topic

    published = Publication.objects.published()
    newest = published.order_by("-publish_at")
    piece = newest.filter(is_sample=False).first() or newest.first()
    expert = Person.objects.experts().filter(authorships__publication__in=published.values("pk")).first()
    topic = piece.topics.first() or Topic.objects.first()
    search = reverse("publications:search")
    pages = {
        "pieces": published.count(),
        "piece": {
            "pk": piece.pk,
            "url": reverse("publications:detail", kwargs={"slug": piece.slug}),
            "title": piece.title,
            "change": reverse("admin:publications_publication_change", args=[piece.pk]),
        },
        "admin": reverse("admin:index"),
        "expert": reverse("publications:expert", kwargs={"slug": expert.slug}),
        "filtered": f"{reverse('publications:list')}?type={piece.type.slug}&topic={topic.slug}",
        "listing": reverse("publications:list"),
        "search": search + "?q=putin",
        "search_random": search + "?q={random}",
        "feed": reverse("publications:feed-rss"),
    }
    return pages


def load_paths(pages):
    """The mix wrk goes over: "{random}" is a new word on every request (a cache miss)."""
    return [
        *("/", pages["listing"], pages["filtered"], pages["piece"]["url"], pages["expert"]),
        *(pages["search"], pages["feed"], "/healthz", pages["search_random"]),
    ]


if __name__ == "__main__":
    project.setup_django()
    print(json.dumps(site_pages()))
