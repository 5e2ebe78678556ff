"""The performance harness: queries and server time per page type, then throughput under wrk.

    make bench                       # seeds (or reuses) PostgreSQL, runs everything, prints a table
    DATABASE_URL=postgres://... .venv/bin/python bench/run.py [--skip-wrk] [--servers gunicorn,granian]

1. Per page type: SQL queries per request and server time p50/p95 over 200 warm requests through
   Django's test client, with the page cache off and on.
2. Serves the site with production settings under each WSGI server and drives every page type
   with wrk (15 s, 16 connections), beside a ceiling view returning 20 KB of fixed HTML: requests/s
   as a ratio to the ceiling, p50/p99 latency, non-2xx responses. Once with the cache off, once on.
Writes bench/results.json.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Test settings: DEBUG off (no query log overhead), fast hashing; the database is DATABASE_URL's.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from wrk_output import parse_wrk  # noqa: E402

from people.models import Person  # noqa: E402
from publications.models import Publication, PublicationType, Topic  # noqa: E402

COMMON_WORD = os.environ.get("BENCH_COMMON_WORD", "security")
RARE_WORD = os.environ.get("BENCH_RARE_WORD", "palimpsest")


def page_types():
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
    per_page = settings.PUBLICATIONS_PER_PAGE
    last_page = max(1, published.count() // per_page)
    return {
        "home": "/",
        "listing": "/policy-analysis/",
        "filtered": f"/policy-analysis/?topic={topic.slug}&type={kind.slug}&from={year}&to={year}",
        "page-2000": f"/policy-analysis/?page={min(2000, last_page)}",
        "piece": piece.get_absolute_url(),
        "expert": prolific.get_absolute_url(),
        "search-common": f"/search/?q={COMMON_WORD}",
        "search-rare": f"/search/?q={RARE_WORD}",
        "feed-site": "/feeds/rss/",
        "feed-topic": f"/topics/{topic.slug}/feed/atom/",
        "sitemap-index": "/sitemap.xml",
        "sitemap-page": "/sitemap-publications.xml?p=2",
    }


def server_times(urls, warm=200):
    client = Client()
    rows = {}
    for label, cache_seconds in (("off", 0), ("on", 600)):
        with override_settings(PAGE_CACHE_SECONDS=cache_seconds):
            cache.clear()
            for name, url in urls.items():
                executed = []

                def count(execute, *args, executed=executed):
                    executed.append(1)
                    return execute(*args)

                with connection.execute_wrapper(count):
                    status = client.get(url).status_code
                times = []
                for _ in range(warm):
                    start = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                row = rows.setdefault(name, {"url": url, "status": status})
                row[f"queries_cache_{label}"] = len(executed)
                row[f"p50_ms_cache_{label}"] = round(statistics.median(times), 2)
                row[f"p95_ms_cache_{label}"] = round(statistics.quantiles(times, n=20)[-1], 2)
                p50 = row[f"p50_ms_cache_{label}"]
                print(f"  {name:<15} cache {label:<3} {len(executed):>3} queries  p50 {p50:>8} ms")
    return rows


def start_server(kind, port, cache_seconds, workdir):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_ALLOWED_PORTS": str(port),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_ROOT_URLCONF": "bench.urls",
        "PAGE_CACHE_SECONDS": str(cache_seconds),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    workers = str(os.cpu_count() or 2)
    if kind == "gunicorn":
        command = [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
        ]
    else:
        command = [
            str(ROOT / ".venv/bin/granian"),
            "--interface",
            "wsgi",
            "config.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            workers,
        ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            subprocess.run(
                ["curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{port}/__ceiling__/"], check=True
            )
            return process
        except subprocess.CalledProcessError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise RuntimeError(f"{kind} did not start")


def wrk(port, path, seconds, connections):
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(result.stdout)


def throughput(urls, servers, seconds, connections):
    results = {}
    workdir = Path(tempfile.mkdtemp())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
    }
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    for kind in servers:
        for label, cache_seconds in (("off", 0), ("on", 600)):
            process = start_server(kind, 8181, cache_seconds, workdir)
            try:
                ceiling = wrk(8181, "/__ceiling__/", seconds, connections)
                print(f"  {kind} cache {label}: ceiling {ceiling['rps']} req/s", flush=True)
                for name, url in urls.items():
                    wrk(8181, url, 2, connections)  # warm up
                    row = wrk(8181, url, seconds, connections)
                    row["ratio_to_ceiling"] = round(row["rps"] / ceiling["rps"], 3)
                    results.setdefault(kind, {}).setdefault(f"cache_{label}", {})[name] = row
                    print(
                        f"    {name:<15} {row['rps']:>9} req/s  {row['ratio_to_ceiling']:>6.1%}  "
                        f"p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms  non-2xx {row['non_2xx']}",
                        flush=True,
                    )
                results[kind][f"cache_{label}"]["__ceiling__"] = ceiling
            finally:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
    shutil.rmtree(workdir, ignore_errors=True)
    return results


def print_table(results):
    """Print one table: per page type, queries, server time and throughput with the cache off and on."""
    servers = list(results.get("throughput", {}))
    header = f"{'page':<15}{'queries':>8}{'p50 off':>9}{'p95 off':>9}{'p50 on':>8}"
    for server in servers:
        header += f"{server + ' off':>16}{server + ' on':>16}"
    print(header + "   (ms; req/s with % of the ceiling)")
    for name, row in results["server_time"].items():
        line = (
            f"{name:<15}{row['queries_cache_off']:>8}{row['p50_ms_cache_off']:>9}"
            f"{row['p95_ms_cache_off']:>9}{row['p50_ms_cache_on']:>8}"
        )
        for server in servers:
            for mode in ("cache_off", "cache_on"):
                cell = results["throughput"][server][mode].get(name)
                line += f"{cell['rps']:>9.0f} {cell['ratio_to_ceiling']:>5.0%}" if cell else f"{'—':>16}"
        print(line)
    for server in servers:
        runs = results["throughput"][server]
        off, on = (runs[mode]["__ceiling__"]["rps"] for mode in ("cache_off", "cache_on"))
        print(f"ceiling ({server}): {off:.0f} req/s (cache off run), {on:.0f} req/s (cache on run)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="print the table of bench/results.json and stop")
    parser.add_argument("--skip-wrk", action="store_true")
    parser.add_argument("--servers", default="gunicorn,granian")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if args.table:
        print_table(json.loads((ROOT / "bench" / "results.json").read_text()))
        return
    if connection.vendor != "postgresql":
        sys.exit("Run the harness against PostgreSQL: set DATABASE_URL (make bench does).")
    urls = page_types()
    print(f"{Publication.objects.count()} pieces on {connection.vendor}; server time over 200 warm requests:")
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "pieces": Publication.objects.count(),
        "server_time": server_times(urls),
    }
    if not args.skip_wrk:
        if not shutil.which("wrk"):
            sys.exit("wrk not found: apt-get install wrk")
        print(f"Throughput: wrk {args.seconds} s at {args.connections} connections per page type:")
        results["throughput"] = throughput(urls, args.servers.split(","), args.seconds, args.connections)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2))
    print("Wrote bench/results.json\n")
    print_table(results)


if __name__ == "__main__":
    main()
