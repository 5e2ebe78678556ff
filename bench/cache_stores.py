"""Cached-page throughput per shared cache store, and what used to bypass the cache.

    .venv/bin/python bench/cache_stores.py [--database-url postgres://...] [--seconds 10]

Loads the demo content into PostgreSQL (a database of its own, made if missing), then serves the
site under production settings with gunicorn (`--workers`, 4 by default) twice: with Redis
(`REDIS_URL`) and with production's fallback, the database cache. For each it drives with wrk
(2 threads, 16 connections): a listing (a cache hit), the same listing with a junk `sessionid`
cookie (used to skip the cache), the listing with a new random query parameter on every request
(used to make a new entry each time), and the Atom feed. Prints requests/s and p50/p99 latency.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")
sys.path.insert(0, str(ROOT / "bench"))

from wrk_output import parse_wrk  # noqa: E402

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


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def main():
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
    args = parser.parse_args()

    base, name = args.database_url.rsplit("/", 1)
    exists = subprocess.run(["psql", args.database_url, "-c", "select 1"], capture_output=True)
    if exists.returncode:
        run(["psql", f"{base}/postgres", "-c", f"create database {name}"], os.environ, capture_output=True)
    workdir = Path(tempfile.mkdtemp())
    (workdir / "random_query.lua").write_text(RANDOM_QUERY)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS", "PAGE_CACHE"))}
    dev = {**clean, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    run([PYTHON, "manage.py", "migrate", "-v0"], dev)
    run([PYTHON, "manage.py", "load_demo"], dev, capture_output=True)
    prod = {
        **clean,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_ALLOWED_PORTS": str(args.port),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], prod)
    cores = os.cpu_count()
    print(f"gunicorn --workers {args.workers}, wrk -t2 -c16 -d{args.seconds}s, demo content, {cores} cores")
    print(f"{'store':<10}{'case':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    for store, extra in (("redis", {"REDIS_URL": args.redis_url}), ("database", {})):
        env = {**prod, **extra}
        if store == "redis":
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", str(args.workers)]
            + ["--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            for label, path, options in CASES:
                url = f"http://127.0.0.1:{args.port}{path}"
                warm = ["wrk", "-t2", "-c16", "-d2s", *options, url]
                subprocess.run(warm, cwd=workdir, capture_output=True, check=True)
                command = ["wrk", "-t2", "-c16", f"-d{args.seconds}s", "--latency", *options]
                output = subprocess.run(
                    [*command, url], cwd=workdir, capture_output=True, text=True, check=True
                )
                row = parse_wrk(output.stdout)
                print(
                    f"{store:<10}{label:<22}{row['rps']:>9}{row['p50_ms']:>9}{row['p99_ms']:>9}{row['non_2xx']:>9}",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(20)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
