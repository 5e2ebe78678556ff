"""Fault test: two app servers under load survive a PostgreSQL restart, and share edits via Redis.

    .venv/bin/python bench/faults.py [--duration 60] [--connections 64] [--database-url postgres://...]

(run from the project root, as root or a user allowed to run pg_ctlcluster; PostgreSQL and Redis
local, wrk installed: apt-get install wrk). What it does:

1. Prepares a PostgreSQL database: by default drops and creates `publications_faults`, migrates
   it and loads the demo content (`manage.py load_demo`, dev settings); with --database-url it
   reuses that database (e.g. the 100,000-piece publications_bench) and only makes sure the demo
   editor account exists. collectstatic goes to a temporary folder.
2. Starts two gunicorn servers (A and B, production settings, 2 sync workers each, one Redis
   database shared by both and flushed first) and waits for /healthz on both.
3. Drives both with wrk (bench/faults.lua) for --duration seconds, --connections split between
   them, over a mix of pages: home, listing, filtered listing, piece, expert, a search, a feed,
   /healthz and a search for a random word (a page-cache miss that needs the database).
4. Half way through, restarts PostgreSQL (stop, then start), timing when it refused and accepted
   connections again. Probe threads poll /healthz and an uncached database-backed page
   (/search/?q=<random word>) on both servers every 100 ms. The app servers are never restarted
   or signalled: stale persistent connections must be replaced by Django's health checks.
5. After the load, logs in to server A's admin as the demo editor (urllib and a cookie jar, the
   CSRF token from the form, X-Forwarded-Proto as the TLS proxy would send), changes a piece's
   title, and measures how long until server B, whose cached copy was warm, serves the new title.
   The title is then put back.
6. Prints a report, writes bench/faults.json and exits non-zero when a target fails:
   0 errors outside the PostgreSQL outage (from the stop to 5 s after it accepts connections
   again), recovery (PostgreSQL accepting again -> first successful database-backed probe) within
   5 s on each server, the edit visible on B within 1 s.

The servers, temporary folders and (unless --keep-database) the fresh database are removed in any
case, and PostgreSQL is started again if it is down when the script ends, crashes or is killed
with SIGTERM/SIGINT.
"""

import argparse
import contextlib
import html
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
sys.path.insert(0, str(ROOT))
from wrk_output import latency_ms  # noqa: E402

from tests.forms import form_data  # noqa: E402  (the form reader the test suite uses)

LUA = ROOT / "bench" / "faults.lua"
DEFAULT_DATABASE = "publications_faults"
EDITOR = ("editor", "policy-analysis-demo")  # created by load_demo (dev settings only)
GRACE_AFTER_UP = 5.0  # errors up to this long after PostgreSQL accepts again count as "during"
RECOVERY_TARGET = 5.0
SOCKET_ERRORS = ("connect", "read", "write", "timeout")
EDIT_TARGET = 1.0


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# PostgreSQL control: whatever happens, PostgreSQL is started again.


class Postgres:
    def __init__(self, database_url, cluster):
        parts = urllib.parse.urlsplit(database_url)
        self.dsn = {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "user": urllib.parse.unquote(parts.username or "postgres"),
            "password": urllib.parse.unquote(parts.password) if parts.password else None,
            "dbname": "postgres",
            "connect_timeout": 1,
        }
        self.cluster = cluster.split()
        self.stopped_by_us = False

    def ctl(self, action):
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", *self.cluster, action]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def accepting(self):
        try:
            psycopg2.connect(**{k: v for k, v in self.dsn.items() if v is not None}).close()
            return True
        except psycopg2.OperationalError:
            return False

    def app_connections(self, database):
        """Return (connections to the database, max_connections)."""
        connection = psycopg2.connect(**{k: v for k, v in self.dsn.items() if v is not None})
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database])
                count = cursor.fetchone()[0]
                cursor.execute("SHOW max_connections")
                return count, int(cursor.fetchone()[0])
        finally:
            connection.close()

    def ensure_started(self):
        if self.stopped_by_us or not self.accepting():
            log("PostgreSQL is down: starting it")
            try:
                self.ctl("start")
            except subprocess.CalledProcessError as error:
                if "already running" not in (error.stderr or "") + (error.stdout or ""):
                    raise
            self.stopped_by_us = False

    def restart(self, down_seconds, server_groups=()):
        """Stop, (hold,) start; return the timeline, with a 20 ms connect poll for the exact edges."""
        attempts = []
        done = threading.Event()

        def poll():
            while not done.is_set():
                started = time.time()
                attempts.append((started, self.accepting()))
                time.sleep(max(0.0, 0.02 - (time.time() - started)))

        poller = threading.Thread(target=poll, daemon=True)
        # Should this process be killed outright (SIGKILL) while PostgreSQL is down, a detached
        # guardian starts it again within a second (and stops the app servers).
        start = " ".join(["pg_ctlcluster", "--skip-systemctl-redirect", *self.cluster, "start"])
        stop_servers = "".join(f"; kill -TERM -{group}" for group in server_groups)
        guardian = subprocess.Popen(
            [
                "sh",
                "-c",
                f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
                f"{start} >/dev/null 2>&1{stop_servers} 2>/dev/null",
            ],
            start_new_session=True,
        )
        timeline = {}
        timeline["stop_issued"] = time.time()
        self.stopped_by_us = True
        poller.start()
        try:
            self.ctl("stop")
            timeline["stop_returned"] = time.time()
            time.sleep(down_seconds)
            timeline["start_issued"] = time.time()
            self.ctl("start")
            self.stopped_by_us = False
            timeline["start_returned"] = time.time()
            deadline = time.time() + 30
            while time.time() < deadline:
                if any(ok and t > timeline["start_issued"] for t, ok in attempts):
                    break
                time.sleep(0.02)
        finally:
            done.set()
            poller.join(timeout=5)
            if not self.stopped_by_us:
                guardian.kill()
                guardian.wait()
        refused = [t for t, ok in attempts if not ok]
        timeline["first_refused"] = refused[0] if refused else None
        timeline["last_refused"] = refused[-1] if refused else None
        timeline["accepting_again"] = next(
            (t for t, ok in attempts if ok and t > timeline["start_issued"]), time.time()
        )
        return timeline


# HTTP helpers (urllib only).


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(opener, url, data=None, headers=None, timeout=10):
    """Return (status, headers, body text); HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


PLAIN = urllib.request.build_opener(NoRedirect)


def error_text(page):
    found = re.findall(r'class="(?:errornote|errorlist[^"]*)"[^>]*>(.*?)</(?:p|ul)>', page, re.S)
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", html.unescape(f)).strip() for f in found)[:500]


class AdminSession:
    """A browser behind the TLS proxy: cookies (Secure ones too), CSRF token, Referer and Origin."""

    def __init__(self, base, admin_path):
        self.base, self.admin_path = base, admin_path
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.jar = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def headers(self, path):
        origin = "https://" + urllib.parse.urlsplit(self.base).netloc
        return {"X-Forwarded-Proto": "https", "Referer": origin + path, "Origin": origin}

    def get(self, path):
        return fetch(self.opener, self.base + path, headers=self.headers(path))

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        headers = {**self.headers(path), "Content-Type": "application/x-www-form-urlencoded"}
        return fetch(self.opener, self.base + path, data=data, headers=headers)

    def login(self, username, password):
        path = f"{self.admin_path}login/?next={self.admin_path}"
        status, _, page = self.get(path)
        if status != 200:
            raise RuntimeError(f"admin login page answered {status}")
        status, headers, page = self.post(path, form_data(page, username=username, password=password))
        if status != 302:
            raise RuntimeError(f"admin login refused ({status}): {error_text(page) or page[:300]}")

    def change_title(self, change_path, new_title):
        status, _, page = self.get(change_path)
        if status != 200:
            raise RuntimeError(f"change form answered {status}")
        status, _, page = self.post(change_path, form_data(page, title=new_title, _save="Save"))
        if status != 302:
            raise RuntimeError(f"the admin refused the edit ({status}): {error_text(page) or page[:300]}")


# App servers.


class Server:
    def __init__(self, name, port, env, workers, worker_class, threads, logfile):
        self.name, self.port = name, port
        self.base = f"http://127.0.0.1:{port}"
        command = [
            GUNICORN,
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--timeout",
            "30",
            "--graceful-timeout",
            "10",
            "--error-logfile",
            "-",
        ]
        if worker_class == "gthread":
            command += ["--threads", str(threads)]
        self.logfile = logfile
        self.log_handle = open(logfile, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server {self.name} exited ({self.process.returncode}); see {self.logfile}"
                )
            try:
                if fetch(PLAIN, self.base + "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server {self.name} not healthy after {timeout} s")

    def workers(self):
        try:
            return sorted(
                int(p)
                for p in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
                .read_text()
                .split()
            )
        except OSError:
            return []

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.log_handle.close()


# Probes.


class Probe(threading.Thread):
    def __init__(self, server, kind, interval=0.1):
        super().__init__(daemon=True)
        self.server, self.kind, self.interval = server, kind, interval
        self.records = []  # (start, end, status or error text)
        self.halt = threading.Event()

    def path(self):
        if self.kind == "healthz":
            return "/healthz"
        return f"/search/?q=probe{secrets.token_hex(6)}"

    def run(self):
        while not self.halt.is_set():
            started = time.time()
            try:
                status = fetch(PLAIN, self.server.base + self.path(), timeout=5)[0]
            except Exception as error:  # a refused or timed-out request is a failure to record
                status = type(error).__name__
            self.records.append((started, time.time(), status))
            self.halt.wait(max(0.0, self.interval - (time.time() - started)))


# wrk.


def parse_wrk(output):
    requests = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    statuses, buckets = {}, {}
    for key, count in re.findall(r"^FAULTS status (\d+) (\d+)$", output, re.M):
        statuses[key] = statuses.get(key, 0) + int(count)
    cache = dict((k, int(c)) for k, c in re.findall(r"^FAULTS cache (\S+) (\d+)$", output, re.M))
    for key, count in re.findall(r"^FAULTS error_bucket (\d+) (\d+)$", output, re.M):
        buckets[int(key)] = buckets.get(int(key), 0) + int(count)
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": latency_ms(output, "50"),
        "p99_ms": latency_ms(output, "99"),
        "non_2xx_3xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": dict(zip(SOCKET_ERRORS, map(int, errors.groups()), strict=True))
        if errors
        else dict.fromkeys(SOCKET_ERRORS, 0),
        "statuses": dict(sorted(statuses.items())),
        "x_cache": dict(sorted(cache.items())),
        "error_buckets": buckets,  # tenth of a second since the epoch -> responses with status >= 400
    }


# The run.


def prepare_database(args, base_url, workdir):
    """Create (or reuse) the database; return its URL and the pages and piece the test uses."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    if args.database_url:
        url = args.database_url
        env["DATABASE_URL"] = url
        log(f"Reusing {url}; making sure the demo editor exists")
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        snippet = (
            "import django; django.setup(); from publications.services import demo_accounts_ensure as d; d()"
        )
        subprocess.run([PYTHON, "-c", snippet], cwd=ROOT, env=env, check=True)
    else:
        url = f"{base_url.rstrip('/')}/{DEFAULT_DATABASE}"
        env["DATABASE_URL"] = url
        log(f"Creating {DEFAULT_DATABASE}, migrating, loading the demo content")
        admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {DEFAULT_DATABASE} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {DEFAULT_DATABASE}")
        admin.close()
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [PYTHON, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    snippet = r"""
import json, django
django.setup()
from django.urls import reverse
from people.models import Person
from publications.models import Publication, PublicationType, Topic
published = Publication.objects.published()
newest = published.order_by("-publish_at")
piece = newest.filter(is_sample=False).first() or newest.first()
expert = Person.objects.experts().filter(authorships__publication__in=published.values("pk")).first()
topic = piece.topics.first() or Topic.objects.first()
kind = piece.type
print(json.dumps({
    "pieces": published.count(),
    "piece": {"pk": piece.pk, "url": piece.get_absolute_url(), "title": piece.title,
              "change": reverse("admin:publications_publication_change", args=[piece.pk])},
    "admin": reverse("admin:index"),
    "expert": expert.get_absolute_url(),
    "filtered": f"{reverse('publications:list')}?type={kind.slug}&topic={topic.slug}",
    "listing": reverse("publications:list"),
    "search": reverse("publications:search") + "?q=putin",
    "search_random": reverse("publications:search") + "?q={random}",
    "feed": reverse("publications:feed-rss"),
}))
"""
    out = subprocess.run(
        [PYTHON, "-c", snippet], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    info = json.loads(out.strip().splitlines()[-1])
    return url, info


def in_window(t, window):
    return window[0] <= t <= window[1]


def analyse_probes(probes, window, pg_up):
    result = {}
    for probe in probes:
        failures = [r for r in probe.records if r[2] != 200]
        outside = [r for r in failures if not in_window(r[0], window) and not in_window(r[1], window)]
        after_up = [r for r in probe.records if r[2] == 200 and r[1] >= pg_up]
        entry = {
            "probes": len(probe.records),
            "failures": len(failures),
            "failure_statuses": sorted({str(r[2]) for r in failures}),
            "first_failure": failures[0][0] if failures else None,
            "last_failure": failures[-1][0] if failures else None,
            "failures_outside_window": len(outside),
            "outside_examples": [(round(r[0], 2), str(r[2])) for r in outside[:5]],
            "first_success_after_up": after_up[0][1] if after_up else None,
            "recovery_s": round(after_up[0][1] - pg_up, 3) if after_up else None,
        }
        result[f"{probe.server.name}:{probe.kind}"] = entry
    return result


def edit_through_a_seen_on_b(server_a, server_b, info):
    piece = info["piece"]
    token = secrets.token_hex(4)
    new_title = f"{piece['title']} (fault check {token})"
    marker = f"fault check {token}"
    page_b = server_b.base + piece["url"]
    fetch(PLAIN, page_b)
    status, headers, body = fetch(PLAIN, page_b)
    warm = {
        "status": status,
        "x_cache": headers.get("X-Cache"),
        "old_title_shown": html.escape(piece["title"]) in body,
    }
    session = AdminSession(server_a.base, info["admin"])
    session.login(*EDITOR)
    posted = time.time()
    try:
        session.change_title(piece["change"], new_title)
        saved = time.time()
        seen = None
        attempts = 0
        while time.time() - saved < 10:
            attempts += 1
            status, headers, body = fetch(PLAIN, page_b)
            if status == 200 and marker in body:
                seen = (time.time(), headers.get("X-Cache"))
                break
            time.sleep(0.01)
    finally:
        session.change_title(piece["change"], piece["title"])  # put the title back
    status, _, body = fetch(PLAIN, page_b)
    return {
        "piece": piece["url"],
        "warm_on_b": warm,
        "admin_post_s": round(saved - posted, 3),
        "visible_on_b_after_post_start_s": round(seen[0] - posted, 3) if seen else None,
        "visible_on_b_after_s": round(seen[0] - saved, 3) if seen else None,
        "b_x_cache_when_seen": seen[1] if seen else None,
        "b_requests_until_seen": attempts,
        "title_restored_on_b": status == 200 and marker not in body,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections in all (default 64)")
    parser.add_argument("--database-url", help="reuse this database instead of a fresh publications_faults")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432", help="the server")
    parser.add_argument("--cluster", default="15 main", help="pg_ctlcluster version and name")
    parser.add_argument("--ports", default="8101,8102")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5", help="flushed at the start")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=4, help="per worker, with gthread")
    parser.add_argument("--down-seconds", type=float, default=0.0, help="hold PostgreSQL down this long")
    parser.add_argument("--no-restart", action="store_true", help="smoke test: leave PostgreSQL alone")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--keep-logs", action="store_true", help="keep the temporary folder with the logs")
    parser.add_argument("--output", default=str(ROOT / "bench" / "faults.json"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)

    postgres = Postgres(args.database_url or args.postgres_url, args.cluster)
    if not postgres.accepting():
        sys.exit("PostgreSQL does not accept connections: start it first")
    workdir = Path(tempfile.mkdtemp(prefix="faults-"))
    servers, probes, wrks, created_db = [], [], [], None
    try:
        database_url, info = prepare_database(args, args.postgres_url, workdir)
        created_db = None if args.database_url else DEFAULT_DATABASE
        redis.Redis.from_url(args.redis_url).flushdb()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PAGE_CACHE", "FACET_CACHE")) or key == "DJANGO_ADMIN_URL"
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            DJANGO_SECRET_KEY="faults-only-not-a-secret-" + secrets.token_hex(24),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_ALLOWED_PORTS=args.ports,
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_STATIC_ROOT=str(workdir / "static"),
            DJANGO_LOG_LEVEL="WARNING",
            DATABASE_URL=database_url,
            REDIS_URL=args.redis_url,
        )
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        ports = [int(p) for p in args.ports.split(",")]
        for name, port in zip("AB", ports, strict=False):
            servers.append(
                Server(
                    name,
                    port,
                    env,
                    args.workers,
                    args.worker_class,
                    args.threads,
                    workdir / f"server-{name}.log",
                )
            )
        for server in servers:
            server.wait_healthy()
        log(f"Servers A ({servers[0].base}) and B ({servers[1].base}) healthy")

        paths = [
            "/",
            info["listing"],
            info["filtered"],
            info["piece"]["url"],
            info["expert"],
            info["search"],
            info["feed"],
            "/healthz",
            info["search_random"],
        ]
        for server in servers:
            for path in paths:
                status = fetch(PLAIN, server.base + path.replace("{random}", "warmup"))[0]
                if status != 200:
                    raise RuntimeError(f"{server.name} {path} answered {status} before the test")
        workers_before = {server.name: server.workers() for server in servers}

        probes = [Probe(server, kind) for server in servers for kind in ("healthz", "db")]
        for probe in probes:
            probe.start()
        per_server = max(1, args.connections // len(servers))
        wrk_env = {**os.environ, "FAULTS_PATHS": " ".join(paths)}
        log(
            f"wrk: {args.duration} s, {per_server} connections on each server; "
            f"PostgreSQL restart at {args.duration / 2:.0f} s"
        )
        load_started = time.time()
        wrks = [
            subprocess.Popen(
                [
                    "wrk",
                    "-t1",
                    f"-c{per_server}",
                    f"-d{args.duration}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    "-s",
                    str(LUA),
                    server.base,
                ],
                env=wrk_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for server in servers
        ]
        time.sleep(max(0.0, load_started + args.duration / 2 - time.time()))
        connections = postgres.app_connections(database_url.rsplit("/", 1)[-1])
        if args.no_restart:
            now = time.time()
            timeline = dict.fromkeys(("stop_issued", "start_issued", "accepting_again"), now)
            timeline["first_refused"] = None
        else:
            log("Stopping PostgreSQL")
            timeline = postgres.restart(args.down_seconds, [s.process.pid for s in servers])
        log(f"PostgreSQL accepting again after {timeline['accepting_again'] - timeline['stop_issued']:.2f} s")
        outputs = [process.communicate(timeout=args.duration + 60)[0] for process in wrks]
        load_ended = time.time()
        time.sleep(1.0)
        for probe in probes:
            probe.halt.set()
        for probe in probes:
            probe.join(timeout=5)
        workers_after = {server.name: server.workers() for server in servers}

        log("Editing a piece through A's admin, watching B")
        edit = edit_through_a_seen_on_b(servers[0], servers[1], info)

        # Analysis.
        pg_up = timeline["accepting_again"]
        window = (timeline["stop_issued"], pg_up + GRACE_AFTER_UP)
        probe_results = analyse_probes(probes, window, pg_up)
        wrk_results = {}
        for server, output in zip(servers, outputs, strict=False):
            parsed = parse_wrk(output)
            buckets = parsed.pop("error_buckets")
            inside = sum(c for b, c in buckets.items() if in_window(b / 10, (window[0] - 0.1, window[1])))
            outside = {
                round(b / 10 - load_started, 1): c
                for b, c in sorted(buckets.items())
                if not in_window(b / 10, (window[0] - 0.1, window[1]))
            }
            parsed["errors_in_window"] = inside
            parsed["errors_outside_window"] = sum(outside.values())
            parsed["errors_outside_window_at_s"] = outside
            parsed["first_error_s"] = round(min(buckets) / 10 - load_started, 1) if buckets else None
            parsed["last_error_s"] = round(max(buckets) / 10 - load_started + 0.1, 1) if buckets else None
            parsed["raw_tail"] = "\n".join(
                line for line in output.splitlines() if not line.startswith("FAULTS")
            )[-600:]
            wrk_results[server.name] = parsed
        log_stats = {}
        for server in servers:
            text = Path(server.logfile).read_text(errors="replace")
            # Plain or JSON log lines: count Django's 500s and the database errors behind them.
            kinds = {}
            text = text.replace("\\n", "\n").replace('\\"', '"')
            for kind, message in re.findall(r"django\.db\.utils\.(\w+): ([^\n]{0,120})", text):
                message = re.sub(r"connection to server at .*? failed: ", "", message)
                kinds[f"{kind}: {message.strip()}"] = kinds.get(f"{kind}: {message.strip()}", 0) + 1
            log_stats[server.name] = {
                "worker_timeouts": text.count("WORKER TIMEOUT"),
                "workers_booted": text.count("Booting worker"),
                "internal_server_errors": text.count("Internal Server Error"),
                "database_errors": dict(sorted(kinds.items(), key=lambda item: -item[1])),
            }

        def rel(t):
            return None if t is None else round(t - load_started, 2)

        report = {
            "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "setup": {
                "database": database_url.rsplit("/", 1)[-1],
                "public_pieces": info["pieces"],
                "servers": {s.name: s.base for s in servers},
                "gunicorn": f"{args.workers} {args.worker_class} workers each"
                + (f", {args.threads} threads" if args.worker_class == "gthread" else ""),
                "redis": args.redis_url,
                "duration_s": args.duration,
                "connections": per_server * len(servers),
                "app_db_connections_at_midpoint": connections[0],
                "postgres_max_connections": connections[1],
                "pages": paths,
                "cpus": os.cpu_count(),
            },
            "postgres": {
                "stop_issued_s": rel(timeline["stop_issued"]),
                "first_refused_s": rel(timeline["first_refused"]),
                "start_issued_s": rel(timeline["start_issued"]),
                "accepting_again_s": rel(pg_up),
                "downtime_s": round(pg_up - timeline["stop_issued"], 3),
                "error_window_s": [rel(window[0]), rel(window[1])],
            },
            "probes": {
                key: {
                    **value,
                    "first_failure": rel(value["first_failure"]),
                    "last_failure": rel(value["last_failure"]),
                    "first_success_after_up": rel(value["first_success_after_up"]),
                    "outside_examples": [(rel(t), s) for t, s in value["outside_examples"]],
                }
                for key, value in probe_results.items()
            },
            "wrk": wrk_results,
            "servers": {
                s.name: {
                    "workers_before": workers_before[s.name],
                    "workers_after": workers_after[s.name],
                    "workers_replaced": len(set(workers_before[s.name]) - set(workers_after[s.name])),
                    **log_stats[s.name],
                }
                for s in servers
            },
            "load_s": round(load_ended - load_started, 2),
            "edit": edit,
        }
        outside_total = sum(w["errors_outside_window"] for w in wrk_results.values()) + sum(
            p["failures_outside_window"] for p in probe_results.values()
        )
        socket_errors = sum(sum(w["socket_errors"].values()) for w in wrk_results.values())
        recoveries = {s.name: probe_results[f"{s.name}:db"]["recovery_s"] for s in servers}
        report["targets"] = {
            "outage seen by the database probes": all(
                probe_results[f"{s.name}:db"]["failures"] > 0 for s in servers
            ),
            "0 errors outside the PostgreSQL window (+5 s)": outside_total == 0,
            "0 wrk socket errors": socket_errors == 0,
            "0 worker timeouts or replaced workers": all(
                v["worker_timeouts"] == 0 and v["workers_replaced"] == 0 for v in report["servers"].values()
            ),
            f"recovery <= {RECOVERY_TARGET:g} s on both servers": all(
                r is not None and r <= RECOVERY_TARGET for r in recoveries.values()
            ),
            f"edit on A visible on B <= {EDIT_TARGET:g} s": edit["visible_on_b_after_s"] is not None
            and edit["visible_on_b_after_s"] <= EDIT_TARGET,
        }
        Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
        print_report(report)
        failed = [name for name, ok in report["targets"].items() if not ok]
        if failed:
            print(f"\nFAILED: {'; '.join(failed)}")
            return 1
        print("\nAll targets met.")
        return 0
    finally:
        for probe in probes:
            probe.halt.set()
        for process in wrks:
            if process.poll() is None:
                process.kill()
        for server in servers:
            server.stop()
        postgres.ensure_started()
        if created_db and not args.keep_database:
            try:
                admin = psycopg2.connect(args.postgres_url.rstrip("/") + "/postgres")
                admin.autocommit = True
                with admin.cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {created_db} WITH (FORCE)")
                admin.close()
            except psycopg2.Error as error:
                log(f"Could not drop {created_db}: {error}")
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(args.redis_url).flushdb()
        if args.keep_logs:
            log(f"Logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def print_report(r):
    s, pg = r["setup"], r["postgres"]
    print("\n=== Fault test: PostgreSQL restart under load, two app servers sharing Redis ===")
    print(
        f"{s['database']} ({s['public_pieces']} public pieces); servers A {s['servers']['A']} and "
        f"B {s['servers']['B']}, gunicorn {s['gunicorn']}, production settings; Redis {s['redis']}"
    )
    print(f"wrk {s['duration_s']} s, {s['connections']} connections over: {' '.join(s['pages'])}")
    print(
        f"Connections to the database just before the restart: {s['app_db_connections_at_midpoint']} "
        f"(max_connections {s['postgres_max_connections']})"
    )
    print("Times are seconds from the start of the load.\n")
    print(
        f"PostgreSQL: stop issued at {pg['stop_issued_s']}, refusing from {pg['first_refused_s']}, "
        f"start issued at {pg['start_issued_s']}, accepting again at {pg['accepting_again_s']}: "
        f"down {pg['downtime_s']} s"
    )
    print(f"Errors allowed in [{pg['error_window_s'][0]}, {pg['error_window_s'][1]}] (the outage + 5 s)\n")
    print(
        f"{'load':<6}{'requests':>10}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'non-2xx':>9}{'in win':>8}"
        f"{'outside':>8}  statuses; socket errors; errors from-to"
    )
    for name, w in r["wrk"].items():
        statuses = " ".join(f"{k}:{v}" for k, v in w["statuses"].items())
        statuses += " (X-Cache " + " ".join(f"{k}:{v}" for k, v in w["x_cache"].items()) + ")"
        sock = ",".join(f"{k} {v}" for k, v in w["socket_errors"].items() if v) or "none"
        print(
            f"{name:<6}{w['requests']:>10}{w['rps']:>9.0f}{w['p50_ms']:>8}{w['p99_ms']:>8}{w['non_2xx_3xx']:>9}"
            f"{w['errors_in_window']:>8}{w['errors_outside_window']:>8}  {statuses}; {sock}; "
            f"{w['first_error_s']}–{w['last_error_s']}"
        )
        if w["errors_outside_window"]:
            print(f"      outside the window at (s: count): {w['errors_outside_window_at_s']}")
    print(
        f"\n{'probe':<11}{'probes':>7}{'fails':>7}{'first fail':>11}{'last fail':>10}{'outside':>8}"
        f"{'recovery s':>11}  statuses while failing"
    )
    for name, p in r["probes"].items():
        print(
            f"{name:<11}{p['probes']:>7}{p['failures']:>7}{p['first_failure']!s:>11}{p['last_failure']!s:>10}"
            f"{p['failures_outside_window']:>8}{p['recovery_s']!s:>11}  "
            f"{', '.join(p['failure_statuses']) or '—'}"
        )
        if p["outside_examples"]:
            print(f"      outside the window: {p['outside_examples']}")
    print()
    for name, v in r["servers"].items():
        print(
            f"server {name}: workers {v['workers_before']} -> {v['workers_after']} "
            f"({v['workers_replaced']} replaced), {v['worker_timeouts']} worker timeouts, "
            f"{v['internal_server_errors']} 500s logged"
        )
        for kind, count in v["database_errors"].items():
            print(f"      {count:>5} x {kind}")
    e = r["edit"]
    print(
        f"\nEdit: {e['piece']} warmed on B ({e['warm_on_b']['x_cache']}, old title shown: "
        f"{e['warm_on_b']['old_title_shown']}); title changed in A's admin (POST {e['admin_post_s']} s); "
        f"new title on B {e['visible_on_b_after_s']} s after the save returned "
        f"({e['visible_on_b_after_post_start_s']} s after it was sent; B: {e['b_x_cache_when_seen']}, "
        f"{e['b_requests_until_seen']} request(s)); title restored: {e['title_restored_on_b']}"
    )
    print("\nTargets:")
    for name, ok in r["targets"].items():
        print(f"  [{'ok' if ok else 'FAIL'}] {name}")


if __name__ == "__main__":
    sys.exit(main())
