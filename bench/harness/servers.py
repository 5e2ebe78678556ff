"""App servers: gunicorn or granian serving the site under bench/settings.py, one process group each."""

import os
import signal
import subprocess
import time
from pathlib import Path

from .http import answers
from .project import BIN, ROOT


def gunicorn(port, workers, *options):
    """Return gunicorn's command line; ``options`` are extra flags (--worker-class, --timeout...)."""
    return [
        *(str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"),
        *("--workers", str(workers), *options),
    ]


def granian(port, workers):
    return [
        *(str(BIN / "granian"), "--interface", "wsgi", "config.wsgi:application"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
    ]


class Server:
    """A server process started with ``command`` in ``env``; its output goes to ``logfile``,
    nowhere (None) or this process's own output ("-")."""

    def __init__(self, name, port, command, env, logfile=None):
        self.name, self.port, self.logfile = name, port, logfile
        self.base = f"http://127.0.0.1:{port}"
        self.log_handle = None
        output = subprocess.DEVNULL
        if logfile == "-":
            output = None
        elif logfile:
            self.log_handle = output = open(logfile, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT if output is not None else None,
            start_new_session=True,
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def wait_until_answers(self, path="/healthz", timeout=60):
        """Wait until ``path`` answers 200; raise if the server exits or takes over ``timeout`` s."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                where = f"; see {self.logfile}" if self.log_handle else ""
                raise RuntimeError(f"server {self.name} exited ({self.process.returncode}){where}")
            if answers(self.base + path):
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server {self.name} did not answer {path} within {timeout} s")

    def workers(self):
        """Return the process ids of the server's workers (the master's children), sorted."""
        pid = self.process.pid
        try:
            return sorted(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
        except OSError:
            return []

    def stop(self):
        """Stop the whole process group (SIGTERM, then SIGKILL after 20 s)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        if self.log_handle:
            self.log_handle.close()
            self.log_handle = None
