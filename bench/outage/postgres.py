"""PostgreSQL control for the fault test: whatever happens, PostgreSQL is started again."""

import os
import subprocess
import threading
import time

import psycopg2

from bench.harness import databases
from bench.harness.project import log


class ConnectPoller(threading.Thread):
    """Tries to connect every 20 ms, recording (time, accepted), for the exact edges of an outage."""

    def __init__(self, postgres, interval=0.02):
        super().__init__(daemon=True)
        self.postgres, self.interval = postgres, interval
        self.attempts = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            started = time.time()
            self.attempts.append((started, self.postgres.accepting()))
            time.sleep(max(0.0, self.interval - (time.time() - started)))

    def accepted_after(self, moment):
        return next((t for t, ok in self.attempts if ok and t > moment), None)

    def wait_accepting_after(self, moment, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline and self.accepted_after(moment) is None:
            time.sleep(0.02)

    def stop(self):
        self.done.set()
        self.join(timeout=5)

    def edges(self, start_issued):
        """Return the first and last refused attempt and the first accepted after ``start_issued``."""
        refused = [t for t, ok in self.attempts if not ok]
        return {
            "first_refused": refused[0] if refused else None,
            "last_refused": refused[-1] if refused else None,
            "accepting_again": self.accepted_after(start_issued) or time.time(),
        }


class Postgres:
    """The cluster ``cluster`` ("15 main") of the server ``url`` names, driven by pg_ctlcluster."""

    def __init__(self, url, cluster):
        self.url = url
        self.cluster = cluster.split()
        self.stopped_by_us = False

    def ctl_command(self, action):
        return ["pg_ctlcluster", "--skip-systemctl-redirect", *self.cluster, action]

    def ctl(self, action):
        subprocess.run(self.ctl_command(action), check=True, capture_output=True, text=True, timeout=120)

    def accepting(self):
        try:
            databases.connect(self.url, "postgres", connect_timeout=1).close()
            return True
        except psycopg2.OperationalError:
            return False

    def app_connections(self, database):
        """Return (connections to ``database``, max_connections)."""
        connection = databases.connect(self.url, "postgres", connect_timeout=1)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database])
                count = cursor.fetchone()[0]
                cursor.execute("SHOW max_connections")
                return count, int(cursor.fetchone()[0])
        finally:
            connection.close()

    def ensure_started(self):
        """Start PostgreSQL if this script stopped it or it is down (run at the end, in any case)."""
        if not self.stopped_by_us and self.accepting():
            return
        log("PostgreSQL is down: starting it")
        try:
            self.ctl("start")
        except subprocess.CalledProcessError as error:
            if "already running" not in (error.stderr or "") + (error.stdout or ""):
                raise
        self.stopped_by_us = False

    def guardian(self, server_groups):
        """Start a detached shell that, should this process die outright (SIGKILL) while PostgreSQL
        is down, starts it again within a second and stops the app servers."""
        start = " ".join(self.ctl_command("start"))
        stop_servers = "".join(f"; kill -TERM -{group}" for group in server_groups)
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
            f"{start} >/dev/null 2>&1{stop_servers} 2>/dev/null"
        )
        return subprocess.Popen(["sh", "-c", script], start_new_session=True)

    def restart(self, down_seconds, server_groups=()):
        """Stop, (hold,) start; return the timeline (times since the epoch)."""
        poller = ConnectPoller(self)
        guardian = self.guardian(server_groups)
        timeline = {"stop_issued": time.time()}
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
            poller.wait_accepting_after(timeline["start_issued"])
        finally:
            poller.stop()
            if not self.stopped_by_us:
                guardian.kill()
                guardian.wait()
        timeline.update(poller.edges(timeline["start_issued"]))
        return timeline
