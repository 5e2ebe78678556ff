"""Reading wrk's report: requests/s, latency percentiles, non-2xx responses, socket errors."""

import re


def latency_ms(output, percentile):
    """Return wrk's --latency figure for ``percentile`` ("50", "99") in milliseconds, or None."""
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\b", output, re.M)
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": round(rps, 1),
        "p50_ms": latency_ms(output, "50"),
        "p99_ms": latency_ms(output, "99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }
