"""Readers and an editor through the edge: Varnish (ops/varnish/site.vcl) in front of gunicorn.

    make bench-edge      # seeds (or reuses) the archive first; or:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/publications_bench REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/edge.py [--seconds 60] [--pieces 1500] [--skip-grace]

On the seeded archive (bench/seed.py), for the old site-wide scheme (every change purges every
page) and for keyed purges, each with a fresh Varnish and app: every URL is fetched once (warm),
then wrk drives readers over pieces, listing pages, experts, topic and region pages and feeds
(a Lua script picks one at random per request) while an editor fixes a title every 10 seconds.
Printed: the edge hit ratio (varnishstat), wrk's p50/p99 and non-2xx, and how long each fix took
to be visible through the edge. Then grace: PostgreSQL stopped for 30 s under the same readers.
Writes bench/edge.json.
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import project, servers, wrk  # noqa: E402

EDGE_PORT, APP_PORT = 6181, 8182
EDGE = f"http://127.0.0.1:{EDGE_PORT}"
project.setup_django(EDGE_PURGE_URLS=EDGE + "/", EDGE_REPURGE_SECONDS="0")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from people.models import Person  # noqa: E402
from publications.models import Publication, Region, Topic  # noqa: E402

RESULTS = project.ROOT / "bench" / "edge.json"


def reader_urls(pieces):
    """Pieces (a random sample), the first listing pages, experts, topics, regions and feeds."""
    published = Publication.objects.published()
    ids = list(published.order_by("-publish_at").values_list("pk", flat=True)[:50_000])
    sample = Publication.objects.filter(pk__in=random.Random(1).sample(ids, min(pieces, len(ids))))
    urls = [piece.get_absolute_url() for piece in sample.only("slug")]
    urls += ["/", "/feeds/rss/", "/feeds/atom/", "/topics/", "/regions/", "/experts/"]
    urls += [f"/policy-analysis/?page={n}" if n > 1 else "/policy-analysis/" for n in range(1, 21)]
    for person in Person.objects.filter(authorships__isnull=False).distinct()[:100]:
        urls.append(person.get_absolute_url())
    for term in [*Topic.objects.all()[:30], *Region.objects.all()[:20]]:
        urls += [term.get_absolute_url(), f"{term.get_absolute_url()}feed/atom/"]
    return urls


def get(path, timeout=30):
    with urllib.request.urlopen(EDGE + path, timeout=timeout) as response:
        return response.status, response.read().decode()


def warm(urls):
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(get, urls))


def varnish_counters(workdir):
    output = subprocess.run(
        ["varnishstat", "-n", f"{workdir}/state", "-1", "-j"], capture_output=True, text=True, check=True
    ).stdout
    counters = json.loads(output)
    counters = counters.get("counters", counters)
    return {name: counters[f"MAIN.{name}"]["value"] for name in ("cache_hit", "cache_miss", "cache_hitmiss")}


class Editor(threading.Thread):
    """Fixes a piece's title every ``every`` seconds; times until the edge shows the fix."""

    def __init__(self, pieces, every=10):
        super().__init__(daemon=True)
        self.pieces, self.every, self.delays = pieces, every, []
        self.stopping = threading.Event()
        self.originals = {}

    def run(self):
        number = 0
        while not self.stopping.wait(self.every if number else 2):
            number += 1
            piece = Publication.objects.get(slug=random.choice(self.pieces))
            self.originals.setdefault(piece.pk, piece.title)
            piece.title = f"{self.originals[piece.pk]} (fix {number})"
            piece.save()
            saved = time.perf_counter()
            while f"(fix {number})" not in get(piece.get_absolute_url())[1]:
                if time.perf_counter() - saved > 30:
                    break
                time.sleep(0.01)
            self.delays.append(round((time.perf_counter() - saved) * 1000, 1))
        connection.close()

    def finish(self):
        self.stopping.set()
        self.join()
        for pk, title in self.originals.items():
            Publication.objects.filter(pk=pk).update(title=title)


def lua_script(urls, folder):
    paths = Path(folder) / "urls.txt"
    paths.write_text("\n".join(urls) + "\n")
    script = Path(folder) / "readers.lua"
    script.write_text(
        "local paths = {}\n"
        f'for line in io.lines("{paths}") do paths[#paths + 1] = line end\n'
        "math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))\n"
        'request = function() return wrk.format("GET", paths[math.random(#paths)]) end\n'
    )
    return script


def start_edge(workdir):
    env = {
        **project.server_env(),
        "EDGE_PORT": str(EDGE_PORT),
        "EDGE_BACKEND": f"127.0.0.1:{APP_PORT}",
        "EDGE_DIR": workdir,
    }
    edge = servers.Server("varnish", EDGE_PORT, [str(project.ROOT / "ops/varnish/start.sh")], env)
    return edge.wait_until_answers("/healthz", timeout=30)


def start_app(scheme):
    env = project.server_env(
        PAGE_CACHE_INVALIDATION=scheme,
        EDGE_PURGE_URLS=EDGE + "/",
        DJANGO_ALLOWED_PORTS=f"{APP_PORT},{EDGE_PORT}",
    )
    command = servers.gunicorn(APP_PORT, 3)
    return servers.Server(f"gunicorn ({scheme})", APP_PORT, command, env).wait_until_answers()


def run_scheme(scheme, urls, seconds, folder):
    settings.PAGE_CACHE_INVALIDATION = scheme
    workdir = tempfile.mkdtemp(prefix="edge-", dir="/tmp")
    Path(workdir).chmod(0o755)
    with start_app(scheme), start_edge(workdir):
        project.log(f"{scheme}: warming {len(urls):,} URLs through the edge")
        warm(urls)
        before = varnish_counters(workdir)
        editor = Editor(
            [url.split("/")[-2] for url in urls if url.startswith("/policy-analysis/") and "?" not in url]
        )
        editor.start()
        project.log(f"{scheme}: readers for {seconds} s (wrk, 32 connections), an edit every 10 s")
        script = lua_script(urls, folder)
        output = wrk.run(EDGE + "/", seconds, 32, options=("-s", str(script), "--timeout", "10s"))
        editor.finish()
        after = varnish_counters(workdir)
    shutil.rmtree(workdir, ignore_errors=True)
    hits = after["cache_hit"] - before["cache_hit"]
    misses = after["cache_miss"] - before["cache_miss"] + after["cache_hitmiss"] - before["cache_hitmiss"]
    delays = sorted(editor.delays)
    return {
        "hit_ratio": round(100 * hits / max(1, hits + misses), 2),
        "requests_per_second": wrk.requests_per_second(output),
        "p50_ms": wrk.latency_ms(output, "50"),
        "p99_ms": wrk.latency_ms(output, "99"),
        "non_2xx": wrk.non_2xx(output),
        "socket_errors": sum(wrk.socket_errors(output).values()),
        "edits": len(delays),
        "visible_after_ms": {
            "median": delays[len(delays) // 2] if delays else None,
            "max": max(delays, default=None),
        },
    }


def postgres(action):
    version = sorted(Path("/etc/postgresql").iterdir())[-1].name
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True)


def run_grace(urls, folder, outage=30):
    """Readers through the edge while PostgreSQL is stopped for ``outage`` seconds."""
    workdir = tempfile.mkdtemp(prefix="edge-", dir="/tmp")
    Path(workdir).chmod(0o755)
    settings.PAGE_CACHE_INVALIDATION = "keys"
    with start_app("keys"), start_edge(workdir):
        warm(urls)
        connection.close()
        project.log(f"grace: PostgreSQL stopped for {outage} s under the readers")
        postgres("stop")
        try:
            output = wrk.run(
                EDGE + "/", outage, 32, options=("-s", str(lua_script(urls, folder)), "--timeout", "10s")
            )
        finally:
            postgres("start")
            time.sleep(2)
    shutil.rmtree(workdir, ignore_errors=True)
    return {
        "seconds": outage,
        "requests_per_second": wrk.requests_per_second(output),
        "p99_ms": wrk.latency_ms(output, "99"),
        "non_2xx": wrk.non_2xx(output),
        "socket_errors": sum(wrk.socket_errors(output).values()),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--pieces", type=int, default=1500)
    parser.add_argument("--skip-grace", action="store_true")
    args = parser.parse_args()
    wrk.require()
    if not shutil.which("varnishd"):
        sys.exit("varnishd not found: apt-get install varnish varnish-modules")
    project.collect_static()
    urls = reader_urls(args.pieces)
    connection.close()
    results = {"urls": len(urls), "pieces": Publication.objects.count()}
    with tempfile.TemporaryDirectory() as folder:
        for scheme in ("site", "keys"):
            results[scheme] = run_scheme(scheme, urls, args.seconds, folder)
            print(json.dumps({scheme: results[scheme]}), flush=True)
        if not args.skip_grace:
            results["grace"] = run_grace(urls, folder)
            print(json.dumps({"grace": results["grace"]}), flush=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{'':24}{'site-wide (old)':>18}{'keyed purges':>16}")
    for label, key in (
        ("edge hit ratio %", "hit_ratio"),
        ("p50 ms", "p50_ms"),
        ("p99 ms", "p99_ms"),
        ("requests/s", "requests_per_second"),
        ("non-2xx", "non_2xx"),
    ):
        print(f"{label:24}{results['site'][key]!s:>18}{results['keys'][key]!s:>16}")
    for label, key in (("fix visible, median ms", "median"), ("fix visible, max ms", "max")):
        site, keys = results["site"]["visible_after_ms"][key], results["keys"]["visible_after_ms"][key]
        print(f"{label:24}{site!s:>18}{keys!s:>16}")
    if "grace" in results:
        print(f"\nPostgreSQL stopped {results['grace']['seconds']} s: {results['grace']}")
    print(f"Written to {project.shown(RESULTS)}")


if __name__ == "__main__":
    main()
