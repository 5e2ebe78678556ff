"""Cached-page throughput per shared cache store, and what used to bypass the cache.

    .venv/bin/python bench/cache_stores.py [--database-url postgres://...] [--seconds 10]

Loads the demo content into PostgreSQL (a database of its own, made if missing), then serves the
site under bench/settings.py (production's settings) with gunicorn (`--workers`, 4 by default)
twice: with Redis (`REDIS_URL`) and with production's fallback, the database cache. For each it
drives with wrk (2 threads, 16 connections): a listing (a cache hit), the same listing with a
junk `sessionid` cookie (used to skip the cache), the listing with a new random query parameter
on every request (used to make a new entry each time), and the Atom feed. Prints requests/s and
p50/p99 latency.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import databases, project, servers, wrk  # noqa: E402

RANDOM_QUERY = """
request = function()
  return wrk.format(nil, "/policy-analysis/?utm_source=" .. math.random(1, 1000000000))
end
"""

CASES = [
    ("listing (hit)", "/policy-analysis/", []),
    ("junk session cookie", "/policy-analysis/", ["-H", "Cookie: sessionid=junk-not-a-session"]),
    ("random query string", "/policy-analysis/", ["-s", "random_query.lua"]),
    ("atom feed (hit)", "/feeds/atom/", []),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/publications_cache_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8191)
    return parser.parse_args(argv)


def load_demo(database_url):
    """Make the database if it is missing; migrate it and load the demo (dev settings: demo content)."""
    databases.ensure(database_url)
    dev = project.server_env("config.settings.dev", DATABASE_URL=database_url)
    dev.pop("REDIS_URL", None)
    project.manage("migrate", "-v0", env=dev)
    project.manage("load_demo", env=dev, quiet=True)


def store_env(args, store):
    """The servers' environment: Redis for "redis", production's database cache for "database"."""
    env = project.server_env(DATABASE_URL=args.database_url, DJANGO_ALLOWED_PORTS=args.port)
    env.pop("REDIS_URL", None)
    if store == "redis":
        redis.Redis.from_url(args.redis_url).flushdb()
        env["REDIS_URL"] = args.redis_url
    return env


def measure_store(args, store, workdir):
    """Serve with ``store`` and print one row per case (after 2 s of warm-up each)."""
    command = servers.gunicorn(args.port, args.workers, "--log-level", "warning")
    with servers.Server(store, args.port, command, store_env(args, store), logfile="-") as server:
        server.wait_until_answers("/healthz", timeout=30)
        for label, path, options in CASES:
            url = server.base + path
            wrk.run(url, 2, 16, options=options, cwd=workdir)
            row = wrk.parse_wrk(wrk.run(url, args.seconds, 16, options=options, cwd=workdir))
            print(
                f"{store:<10}{label:<22}{row['rps']:>9}{row['p50_ms']:>9}{row['p99_ms']:>9}{row['non_2xx']:>9}",
                flush=True,
            )


def main(argv=None):
    args = parse_args(argv)
    wrk.require()
    load_demo(args.database_url)
    project.collect_static()
    workdir = Path(tempfile.mkdtemp())
    (workdir / "random_query.lua").write_text(RANDOM_QUERY)
    cores = os.cpu_count()
    print(f"gunicorn --workers {args.workers}, wrk -t2 -c16 -d{args.seconds}s, demo content, {cores} cores")
    print(f"{'store':<10}{'case':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    try:
        for store in ("redis", "database"):
            measure_store(args, store, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
