"""Fault test: two app servers under load survive a PostgreSQL restart, and share edits via Redis.

    .venv/bin/python bench/faults.py [--duration 60] [--connections 64] [--database-url postgres://...]
    .venv/bin/python bench/faults.py --no-restart --duration 10    # a smoke test: PostgreSQL left alone

(run from the project root, as root or a user allowed to run pg_ctlcluster, unless --no-restart;
PostgreSQL and Redis local, wrk installed: apt-get install wrk). What it does:

1. Prepares a PostgreSQL database: by default drops and creates `publications_faults`, migrates
   it and loads the demo content (`manage.py load_demo`, dev settings); with --database-url it
   reuses that database (e.g. the 100,000-piece publications_bench) and only makes sure the demo
   editor account exists. Static files are collected for bench/settings.py.
2. Starts two gunicorn servers (A and B, bench/settings.py: production's settings, 2 sync workers
   each, one Redis database shared by both and flushed first) and waits for /healthz on both.
3. Drives both with wrk (bench/faults.lua) for --duration seconds, --connections split between
   them, over a mix of pages: home, listing, filtered listing, piece, expert, a search, a feed,
   /healthz and a search for a random word (a page-cache miss that needs the database).
4. Half way through, restarts PostgreSQL (stop, then start), timing when it refused and accepted
   connections again (not with --no-restart). Probe threads poll /healthz and an uncached
   database-backed page (/search/?q=<random word>) on both servers every 100 ms. The app servers
   are never restarted or signalled: stale persistent connections must be replaced by Django's
   health checks.
5. After the load, logs in to server A's admin as the demo editor (urllib and a cookie jar, the
   CSRF token from the form, X-Forwarded-Proto as the TLS proxy would send), changes a piece's
   title, and measures how long until server B, whose cached copy was warm, serves the new title.
   The title is then put back.
6. Prints a report, writes bench/faults.json (or --output) and exits non-zero when a target is
   missed: 0 errors outside the PostgreSQL outage (from the stop to 5 s after it accepts
   connections again), recovery (PostgreSQL accepting again -> first successful database-backed
   probe) within 5 s on each server, the edit visible on B within 1 s, no socket errors, worker
   timeouts or replaced workers. With --no-restart every error counts, and the outage and
   recovery targets are reported as not measured.

The servers, temporary folders and (unless --keep-database) the fresh database are removed in any
case, and PostgreSQL is started again if it is down when the script ends, crashes or is killed
with SIGTERM/SIGINT. The parts are in bench/outage/.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import databases, project, servers, wrk  # noqa: E402
from bench.harness.http import fetch  # noqa: E402
from bench.outage import load, probes, report, site  # noqa: E402
from bench.outage.edit import edit_through_a_seen_on_b  # noqa: E402
from bench.outage.postgres import Postgres  # noqa: E402
from bench.outage.targets import error_window, targets, verdict  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--duration", type=int, default=60, help="seconds of load (default 60)")
    add("--connections", type=int, default=64, help="wrk connections in all (default 64)")
    add("--database-url", help="reuse this database instead of a fresh publications_faults")
    add("--postgres-url", default="postgres://postgres@127.0.0.1:5432", help="the server")
    add("--cluster", default="15 main", help="pg_ctlcluster version and name")
    add("--ports", default="8101,8102")
    add("--redis-url", default="redis://127.0.0.1:6379/5", help="flushed at the start")
    add("--workers", type=int, default=2)
    add("--worker-class", default="sync", choices=("sync", "gthread"))
    add("--threads", type=int, default=4, help="per worker, with gthread")
    add("--down-seconds", type=float, default=0.0, help="hold PostgreSQL down this long")
    add("--no-restart", action="store_true", help="smoke test: leave PostgreSQL alone (no root needed)")
    add("--keep-database", action="store_true")
    add("--keep-logs", action="store_true", help="keep the temporary folder with the logs")
    add("--output", default=str(project.ROOT / "bench" / "faults.json"))
    return parser.parse_args(argv)


def exit_on_signals():
    """SIGTERM and SIGHUP end the script through its clean-up, as Ctrl-C does."""

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)


class FaultTest:
    """One run: what it started is stopped, and what it created removed, by clean_up()."""

    def __init__(self, args, postgres):
        self.args, self.postgres = args, postgres
        self.workdir = Path(tempfile.mkdtemp(prefix="faults-"))
        self.servers, self.probes, self.wrks = [], [], []
        self.database_url, self.created = None, False

    def gunicorn_options(self):
        args = self.args
        options = ["--worker-class", args.worker_class, "--timeout", "30", "--graceful-timeout", "10"]
        if args.worker_class == "gthread":
            options += ["--threads", str(args.threads)]
        return [*options, "--error-logfile", "-"]

    def prepare(self):
        """The database, the pages to load, an empty Redis database, the static files."""
        args = self.args
        self.database_url, self.created = site.prepare_database(args.database_url, args.postgres_url)
        self.pages = site.read_pages(self.database_url)
        self.paths = site.load_paths(self.pages)
        redis.Redis.from_url(args.redis_url).flushdb()
        project.collect_static()

    def start_servers(self):
        args = self.args
        env = project.server_env(
            DJANGO_ALLOWED_PORTS=args.ports, DATABASE_URL=self.database_url, REDIS_URL=args.redis_url
        )
        for name, port in zip("AB", map(int, args.ports.split(",")), strict=False):
            command = servers.gunicorn(port, args.workers, *self.gunicorn_options())
            logfile = self.workdir / f"server-{name}.log"
            self.servers.append(servers.Server(name, port, command, env, logfile))
        for server in self.servers:
            server.wait_until_answers("/healthz")
        a, b = self.servers
        project.log(f"Servers A ({a.base}) and B ({b.base}) healthy")

    def warm_up(self):
        for server in self.servers:
            for path in self.paths:
                status = fetch(server.base + path.replace("{random}", "warmup"))[0]
                if status != 200:
                    raise RuntimeError(f"{server.name} {path} answered {status} before the test")

    def midpoint(self, run):
        """Half way through the load: count connections, then restart PostgreSQL (or not)."""
        time.sleep(max(0.0, run["load_started"] + self.args.duration / 2 - time.time()))
        run["connections"] = self.postgres.app_connections(databases.name(self.database_url))
        if self.args.no_restart:
            return None
        project.log("Stopping PostgreSQL")
        timeline = self.postgres.restart(self.args.down_seconds, [s.process.pid for s in self.servers])
        down = timeline["accepting_again"] - timeline["stop_issued"]
        project.log(f"PostgreSQL accepting again after {down:.2f} s")
        return timeline

    def drive(self):
        """The load, with the probes and the restart; return the raw figures."""
        args, run = self.args, {}
        run["workers_before"] = {s.name: s.workers() for s in self.servers}
        self.probes = probes.start_probes(self.servers)
        restart = (
            "no PostgreSQL restart" if args.no_restart else f"PostgreSQL restart at {args.duration / 2:.0f} s"
        )
        per_server = max(1, args.connections // len(self.servers))
        project.log(f"wrk: {args.duration} s, {per_server} connections on each server; {restart}")
        run["load_started"] = time.time()
        self.wrks = load.start_wrk(self.servers, self.paths, args.duration, args.connections)
        run["timeline"] = self.midpoint(run)
        run["outputs"] = [process.communicate(timeout=args.duration + 60)[0] for process in self.wrks]
        run["load_ended"] = time.time()
        time.sleep(1.0)
        probes.stop_probes(self.probes)
        run["workers_after"] = {s.name: s.workers() for s in self.servers}
        return run

    def analyse(self, run):
        """Add the window, the probes', wrk's and the logs' figures to ``run``."""
        timeline = run["timeline"]
        run["window"] = window = error_window(timeline)
        pg_up = timeline["accepting_again"] if timeline else None
        run["probes"] = probes.summarise(self.probes, window, pg_up)
        run["wrk"] = {
            server.name: load.result(output, window, run["load_started"])
            for server, output in zip(self.servers, run["outputs"], strict=True)
        }
        run["logs"] = {server.name: load.log_stats(server.logfile) for server in self.servers}

    def setup(self, run):
        args = self.args
        threads = f", {args.threads} threads" if args.worker_class == "gthread" else ""
        return {
            "database": databases.name(self.database_url),
            "public_pieces": self.pages["pieces"],
            "servers": {s.name: s.base for s in self.servers},
            "settings": "bench/settings.py (production's)",
            "gunicorn": f"{args.workers} {args.worker_class} workers each{threads}",
            "redis": args.redis_url,
            "duration_s": args.duration,
            "connections": max(1, args.connections // len(self.servers)) * len(self.servers),
            "app_db_connections_at_midpoint": run["connections"][0],
            "postgres_max_connections": run["connections"][1],
            "pages": self.paths,
            "cpus": os.cpu_count(),
            "postgres_restarted": not args.no_restart,
        }

    def execute(self):
        """The stages; return the exit status."""
        self.prepare()
        self.start_servers()
        self.warm_up()
        run = self.drive()
        project.log("Editing a piece through A's admin, watching B")
        run["edit"] = edit_through_a_seen_on_b(self.servers[0], self.servers[1], self.pages)
        self.analyse(run)
        result = report.build(self.setup(run), run, run["load_started"])
        result["targets"] = targets(result, restarted=run["timeline"] is not None)
        Path(self.args.output).write_text(json.dumps(result, indent=2) + "\n")
        report.print_report(result)
        return conclude(result["targets"])

    def clean_up(self):
        for probe in self.probes:
            probe.halt.set()
        for process in self.wrks:
            if process.poll() is None:
                process.kill()
        for server in self.servers:
            server.stop()
        self.postgres.ensure_started()
        if self.created and not self.args.keep_database:
            try:
                databases.drop(self.database_url)
            except psycopg2.Error as error:  # the report is written; say what is left behind
                project.log(f"Could not drop {databases.name(self.database_url)}: {error}")
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(self.args.redis_url).flushdb()
        if self.args.keep_logs:
            project.log(f"Logs kept in {self.workdir}")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


def conclude(results):
    passed, missed, unmeasured = verdict(results)
    if not passed:
        print(f"\nFAILED: {'; '.join(missed)}")
        return 1
    if unmeasured:
        print(f"\nAll measured targets met ({len(unmeasured)} not measured: no PostgreSQL restart).")
        return 0
    print("\nAll targets met.")
    return 0


def main(argv=None):
    args = parse_args(argv)
    wrk.require()
    exit_on_signals()
    postgres = Postgres(args.database_url or args.postgres_url, args.cluster)
    if not postgres.accepting():
        sys.exit("PostgreSQL does not accept connections: start it first")
    test = FaultTest(args, postgres)
    try:
        return test.execute()
    finally:
        test.clean_up()


if __name__ == "__main__":
    sys.exit(main())
