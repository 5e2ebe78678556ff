"""The fault test's targets and verdict: pure functions of the figures, tested in tests/test_bench.py.

A target is met (True), missed (False) or not measured (None): without a PostgreSQL restart
(--no-restart) there is no outage to see or recover from, so those targets are not measured, and
there is no error window either: every error counts.
"""

GRACE_AFTER_UP = 5.0  # errors up to this long after PostgreSQL accepts again count as "during"
RECOVERY_TARGET = 5.0
EDIT_TARGET = 1.0

OUTAGE_SEEN = "outage seen by the database probes"
ERRORS_OUTSIDE = f"0 errors outside the PostgreSQL window (+{GRACE_AFTER_UP:g} s)"
ERRORS_ANY = "0 errors (no PostgreSQL restart: every error counts)"
SOCKET_ERRORS = "0 wrk socket errors"
WORKERS = "0 worker timeouts or replaced workers"
RECOVERY = f"recovery <= {RECOVERY_TARGET:g} s on both servers"
EDIT = f"edit on A visible on B <= {EDIT_TARGET:g} s"


def error_window(timeline):
    """Return (start, end) of the time errors are expected in, or None when PostgreSQL stayed up."""
    if timeline is None:
        return None
    return timeline["stop_issued"], timeline["accepting_again"] + GRACE_AFTER_UP


def in_window(moment, window, slack=0.0):
    """Whether ``moment`` is in ``window`` (widened by ``slack`` before its start); never without one."""
    return window is not None and window[0] - slack <= moment <= window[1]


def measured(restarted, met):
    return bool(met) if restarted else None


def recovered(probe):
    return probe["recovery_s"] is not None and probe["recovery_s"] <= RECOVERY_TARGET


def targets(figures, restarted):
    """Return {target: True, False or None} from the report's wrk, probes, servers and edit figures."""
    wrk, probes, servers = figures["wrk"], figures["probes"], figures["servers"]
    outside = sum(w["errors_outside_window"] for w in wrk.values())
    outside += sum(p["failures_outside_window"] for p in probes.values())
    db_probes = [p for name, p in probes.items() if name.endswith(":db")]
    seen_on_b = figures["edit"]["visible_on_b_after_s"]
    return {
        OUTAGE_SEEN: measured(restarted, db_probes and all(p["failures"] > 0 for p in db_probes)),
        ERRORS_OUTSIDE if restarted else ERRORS_ANY: outside == 0,
        SOCKET_ERRORS: sum(sum(w["socket_errors"].values()) for w in wrk.values()) == 0,
        WORKERS: all(s["worker_timeouts"] == 0 and s["workers_replaced"] == 0 for s in servers.values()),
        RECOVERY: measured(restarted, db_probes and all(recovered(p) for p in db_probes)),
        EDIT: seen_on_b is not None and seen_on_b <= EDIT_TARGET,
    }


def verdict(results):
    """Return (passed, the missed targets, the targets not measured)."""
    missed = [name for name, met in results.items() if met is False]
    unmeasured = [name for name, met in results.items() if met is None]
    return not missed, missed, unmeasured
