"""wrk: running it, and reading its report (requests/s, latency percentiles, non-2xx, socket errors)."""

import re
import shutil
import subprocess
import sys

SOCKET_ERRORS = ("connect", "read", "write", "timeout")


def require():
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")


def command(url, seconds, connections, threads=2, options=()):
    """Return the wrk command line: ``options`` are extra flags (-H, -s, --timeout...)."""
    return ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", *options, url]


def run(url, seconds, connections, threads=2, options=(), cwd=None):
    """Run wrk to the end; return its report."""
    result = subprocess.run(
        command(url, seconds, connections, threads, options),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def latency_ms(output, percentile):
    """Return wrk's --latency figure for ``percentile`` ("50", "99") in milliseconds, or None."""
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\b", output, re.M)
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)


def socket_errors(output):
    """Return {connect, read, write, timeout: count} (all 0 when wrk reports none)."""
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    counts = map(int, errors.groups()) if errors else (0,) * len(SOCKET_ERRORS)
    return dict(zip(SOCKET_ERRORS, counts, strict=True))


def non_2xx(output):
    found = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return int(found.group(1)) if found else 0


def requests_per_second(output):
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return float(found.group(1)) if found else 0.0


def parse_wrk(output):
    """Return the figures the throughput tables print."""
    return {
        "rps": round(requests_per_second(output), 1),
        "p50_ms": latency_ms(output, "50"),
        "p99_ms": latency_ms(output, "99"),
        "non_2xx": non_2xx(output),
        "socket_errors": sum(socket_errors(output).values()),
    }
