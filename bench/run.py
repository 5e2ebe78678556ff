"""The performance harness: queries and server time per page type, then throughput under wrk.

    make bench                       # seeds (or reuses) PostgreSQL, runs everything, prints a table
    DATABASE_URL=postgres://... .venv/bin/python bench/run.py [--skip-wrk] [--servers gunicorn,granian]

Everything runs under bench/settings.py (production's settings, with the ceiling view's URL).

1. Per page type: SQL queries per request and server time p50/p95 over 200 warm requests through
   Django's test client, with the page cache off and on.
2. Serves the site under each WSGI server and drives every page type with wrk (15 s, 16
   connections), beside a ceiling view returning 20 KB of fixed HTML: requests/s as a ratio to
   the ceiling, p50/p99 latency, non-2xx responses. Once with the cache off, once on.
Writes bench/results.json (or --output).
"""

import argparse
import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import project, servers, wrk  # noqa: E402
from bench.harness.timing import p50, p95, time_page  # noqa: E402

project.setup_django()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from people.models import Person  # noqa: E402
from publications.models import Publication, PublicationType, Topic  # noqa: E402

COMMON_WORD = os.environ.get("BENCH_COMMON_WORD", "security")
RARE_WORD = os.environ.get("BENCH_RARE_WORD", "palimpsest")
RESULTS = project.ROOT / "bench" / "results.json"
PORT = 8181
CACHE_MODES = (("off", 0), ("on", 600))  # label, PAGE_CACHE_SECONDS


def page_types():
    """Return {page type: URL}: the newest piece, the most prolific author, the biggest topic..."""
    published = Publication.objects.published()
    piece = published.order_by("-publish_at").first()
    prolific = (
        Person.objects.filter(authorships__publication__in=published.values("pk"))
        .annotate(n=Count("authorships"))
        .order_by("-n")
        .first()
    )
    topic = Topic.objects.annotate(n=Count("tagged_items")).order_by("-n").first()
    kind = PublicationType.objects.order_by("position").first()
    year = piece.publish_at.year - 1
    last_page = max(1, published.count() // settings.PUBLICATIONS_PER_PAGE)
    return {
        "home": "/",
        "listing": "/policy-analysis/",
        "filtered": f"/policy-analysis/?topic={topic.slug}&type={kind.slug}&from={year}&to={year}",
        "page-2000": f"/policy-analysis/?page={min(2000, last_page)}",
        "piece": reverse("publications:detail", kwargs={"slug": piece.slug}),
        "expert": reverse("publications:expert", kwargs={"slug": prolific.slug}),
        "search-common": f"/search/?q={COMMON_WORD}",
        "search-rare": f"/search/?q={RARE_WORD}",
        "feed-site": "/feeds/rss/",
        "feed-topic": f"/topics/{topic.slug}/feed/atom/",
        "sitemap-index": "/sitemap.xml",
        "sitemap-page": "/sitemap-publications.xml?p=2",
    }


def server_times(urls, warm=200):
    """Per page type, with the page cache off then on: queries (cold) and p50/p95 (warm)."""
    client, rows = Client(), {}
    for label, cache_seconds in CACHE_MODES:
        with override_settings(PAGE_CACHE_SECONDS=cache_seconds):
            cache.clear()
            for name, url in urls.items():
                status, queries, times = time_page(client, url, warm)
                row = rows.setdefault(name, {"url": url, "status": status})
                row[f"queries_cache_{label}"] = queries
                row[f"p50_ms_cache_{label}"] = median = round(p50(times), 2)
                row[f"p95_ms_cache_{label}"] = round(p95(times), 2)
                print(f"  {name:<15} cache {label:<3} {queries:>3} queries  p50 {median:>8} ms")
    return rows


def start_server(kind, cache_seconds):
    workers = os.cpu_count() or 2
    command = servers.gunicorn(PORT, workers) if kind == "gunicorn" else servers.granian(PORT, workers)
    env = project.server_env(DJANGO_ALLOWED_PORTS=PORT, PAGE_CACHE_SECONDS=cache_seconds)
    return servers.Server(kind, PORT, command, env).wait_until_answers("/__ceiling__/", timeout=20)


def measure(server, path, seconds, connections):
    return wrk.parse_wrk(wrk.run(server.base + path, seconds, connections))


def throughput_run(server, label, urls, seconds, connections):
    """Drive the ceiling, then every page type (after 2 s of warm-up each); return the rows."""
    ceiling = measure(server, "/__ceiling__/", seconds, connections)
    print(f"  {server.name} cache {label}: ceiling {ceiling['rps']} req/s", flush=True)
    rows = {}
    for name, url in urls.items():
        measure(server, url, 2, connections)  # warm up
        row = rows[name] = measure(server, url, seconds, connections)
        row["ratio_to_ceiling"] = round(row["rps"] / ceiling["rps"], 3) if ceiling["rps"] else 0.0
        print(
            f"    {name:<15} {row['rps']:>9} req/s  {row['ratio_to_ceiling']:>6.1%}  "
            f"p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms  non-2xx {row['non_2xx']}",
            flush=True,
        )
    rows["__ceiling__"] = ceiling
    return rows


def throughput(urls, kinds, seconds, connections):
    """Per server kind, with the page cache off then on: {kind: {cache_off: rows, cache_on: rows}}."""
    results = {}
    for kind in kinds:
        for label, cache_seconds in CACHE_MODES:
            with start_server(kind, cache_seconds) as server:
                runs = results.setdefault(kind, {})
                runs[f"cache_{label}"] = throughput_run(server, label, urls, seconds, connections)
    return results


def table_row(name, row, results, kinds):
    line = (
        f"{name:<15}{row['queries_cache_off']:>8}{row['p50_ms_cache_off']:>9}"
        f"{row['p95_ms_cache_off']:>9}{row['p50_ms_cache_on']:>8}"
    )
    for kind in kinds:
        for mode in ("cache_off", "cache_on"):
            cell = results["throughput"][kind][mode].get(name)
            line += f"{cell['rps']:>9.0f} {cell['ratio_to_ceiling']:>5.0%}" if cell else f"{'—':>16}"
    return line


def print_table(results):
    """Print one table: per page type, queries, server time and throughput with the cache off and on."""
    kinds = list(results.get("throughput", {}))
    header = f"{'page':<15}{'queries':>8}{'p50 off':>9}{'p95 off':>9}{'p50 on':>8}"
    for kind in kinds:
        header += f"{kind + ' off':>16}{kind + ' on':>16}"
    print(header + "   (ms; req/s with % of the ceiling)")
    for name, row in results["server_time"].items():
        print(table_row(name, row, results, kinds))
    for kind in kinds:
        runs = results["throughput"][kind]
        off, on = (runs[mode]["__ceiling__"]["rps"] for mode in ("cache_off", "cache_on"))
        print(f"ceiling ({kind}): {off:.0f} req/s (cache off run), {on:.0f} req/s (cache on run)")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="print the table of the last run and stop")
    parser.add_argument("--skip-wrk", action="store_true", help="server time only")
    parser.add_argument("--servers", default="gunicorn,granian")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--output", type=Path, default=RESULTS, help="default bench/results.json")
    parser.add_argument("--pages", default="", help="only these page types, e.g. sitemap-index,sitemap-page")
    parser.add_argument("--warm", type=int, default=200, help="warm requests per page type for server time")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.table:
        print_table(json.loads(args.output.read_text()))
        return
    if connection.vendor != "postgresql":
        sys.exit("Run the harness against PostgreSQL: set DATABASE_URL (make bench does).")
    if not args.skip_wrk:
        wrk.require()
    project.collect_static()  # production's pages name hashed static files, the server's too
    urls = page_types()
    if args.pages:
        urls = {name: url for name, url in urls.items() if name in args.pages.split(",")}
    pieces = Publication.objects.count()
    store = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"Settings {settings.SETTINGS_MODULE}, cache {store}, static files in {settings.STATIC_ROOT}")
    print(f"{pieces} pieces on {connection.vendor}; server time over {args.warm} warm requests:")
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}
    results = {"machine": machine, "pieces": pieces, "server_time": server_times(urls, args.warm)}
    if not args.skip_wrk:
        print(f"Throughput: wrk {args.seconds} s at {args.connections} connections per page type:")
        results["throughput"] = throughput(urls, args.servers.split(","), args.seconds, args.connections)
    args.output.write_text(json.dumps(results, indent=2))
    print(f"Wrote {project.shown(args.output)}\n")
    print_table(results)


if __name__ == "__main__":
    main()
