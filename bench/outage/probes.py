"""Probes: threads polling /healthz and an uncached database page on each server every 100 ms."""

import secrets
import threading
import time

from bench.harness.http import fetch

from .targets import in_window


class Probe(threading.Thread):
    """Polls ``kind`` ("healthz" or "db": a search for a new random word) on ``server``."""

    def __init__(self, server, kind, interval=0.1):
        super().__init__(daemon=True)
        self.server, self.kind, self.interval = server, kind, interval
        self.name = f"{server.name}:{kind}"
        self.records = []  # (start, end, status or error name)
        self.halt = threading.Event()

    def path(self):
        if self.kind == "healthz":
            return "/healthz"
        return f"/search/?q=probe{secrets.token_hex(6)}"

    def run(self):
        while not self.halt.is_set():
            started = time.time()
            try:
                status = fetch(self.server.base + self.path(), timeout=5)[0]
            except Exception as error:  # a refused or timed-out request is a failure to record
                status = type(error).__name__
            self.records.append((started, time.time(), status))
            self.halt.wait(max(0.0, self.interval - (time.time() - started)))


def start_probes(servers):
    probes = [Probe(server, kind) for server in servers for kind in ("healthz", "db")]
    for probe in probes:
        probe.start()
    return probes


def stop_probes(probes):
    for probe in probes:
        probe.halt.set()
    for probe in probes:
        probe.join(timeout=5)


def summary(records, window, pg_up):
    """Return one probe's figures: failures, those outside ``window``, recovery after ``pg_up``."""
    failures = [r for r in records if r[2] != 200]
    outside = [r for r in failures if not in_window(r[0], window) and not in_window(r[1], window)]
    after_up = [r for r in records if r[2] == 200 and r[1] >= pg_up] if pg_up is not None else []
    return {
        "probes": len(records),
        "failures": len(failures),
        "failure_statuses": sorted({str(r[2]) for r in failures}),
        "first_failure": failures[0][0] if failures else None,
        "last_failure": failures[-1][0] if failures else None,
        "failures_outside_window": len(outside),
        "outside_examples": [(round(r[0], 2), str(r[2])) for r in outside[:5]],
        "first_success_after_up": after_up[0][1] if after_up else None,
        "recovery_s": round(after_up[0][1] - pg_up, 3) if after_up else None,
    }


def summarise(probes, window, pg_up):
    """Return {"A:healthz": figures, "A:db": ...}; ``pg_up`` is None when PostgreSQL stayed up."""
    return {probe.name: summary(probe.records, window, pg_up) for probe in probes}
