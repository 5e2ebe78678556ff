"""The load: wrk over a mix of pages on each server (bench/faults.lua), and what it and the
servers' logs say afterwards."""

import os
import re
import subprocess
from pathlib import Path

from bench.harness import wrk
from bench.harness.project import ROOT

from .targets import in_window

LUA = ROOT / "bench" / "faults.lua"


def start_wrk(servers, paths, duration, connections):
    """Start one wrk per server (``connections`` split between them); return the processes."""
    per_server = max(1, connections // len(servers))
    env = {**os.environ, "FAULTS_PATHS": " ".join(paths)}
    options = ("--timeout", "10s", "-s", str(LUA))
    return [
        subprocess.Popen(
            wrk.command(server.base, duration, per_server, threads=1, options=options),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for server in servers
    ]


def counts(output, kind, key=str):
    """Sum the "FAULTS <kind> <key> <count>" lines faults.lua prints."""
    totals = {}
    for name, count in re.findall(rf"^FAULTS {kind} (\S+) (\d+)$", output, re.M):
        totals[key(name)] = totals.get(key(name), 0) + int(count)
    return totals


def parse(output):
    """Return wrk's figures, the statuses and X-Cache values seen, and the error buckets."""
    requests = re.search(r"(\d+) requests in", output)
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "rps": wrk.requests_per_second(output),
        "p50_ms": wrk.latency_ms(output, "50"),
        "p99_ms": wrk.latency_ms(output, "99"),
        "non_2xx_3xx": wrk.non_2xx(output),
        "socket_errors": wrk.socket_errors(output),
        "statuses": dict(sorted(counts(output, "status").items())),
        "x_cache": dict(sorted(counts(output, "cache").items())),
        # tenth of a second since the epoch -> responses with status >= 400
        "error_buckets": counts(output, "error_bucket", key=int),
    }


def result(output, window, load_started):
    """Return one server's wrk figures, its errors split by the window (seconds from the load's start)."""
    parsed = parse(output)
    buckets = parsed.pop("error_buckets")
    inside = sum(c for b, c in buckets.items() if in_window(b / 10, window, slack=0.1))
    outside = {
        round(b / 10 - load_started, 1): c
        for b, c in sorted(buckets.items())
        if not in_window(b / 10, window, slack=0.1)
    }
    parsed["errors_in_window"] = inside
    parsed["errors_outside_window"] = sum(outside.values())
    parsed["errors_outside_window_at_s"] = outside
    parsed["first_error_s"] = round(min(buckets) / 10 - load_started, 1) if buckets else None
    parsed["last_error_s"] = round(max(buckets) / 10 - load_started + 0.1, 1) if buckets else None
    parsed["raw_tail"] = "\n".join(line for line in output.splitlines() if not line.startswith("FAULTS"))[
        -600:
    ]
    return parsed


def log_stats(logfile):
    """Count, in a server's log (plain or JSON lines), worker timeouts and boots, 500s and the
    database errors behind them."""
    text = Path(logfile).read_text(errors="replace").replace("\\n", "\n").replace('\\"', '"')
    kinds = {}
    for kind, message in re.findall(r"django\.db\.utils\.(\w+): ([^\n]{0,120})", text):
        message = re.sub(r"connection to server at .*? failed: ", "", message).strip()
        kinds[f"{kind}: {message}"] = kinds.get(f"{kind}: {message}", 0) + 1
    return {
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "workers_booted": text.count("Booting worker"),
        "internal_server_errors": text.count("Internal Server Error"),
        "database_errors": dict(sorted(kinds.items(), key=lambda item: -item[1])),
    }
