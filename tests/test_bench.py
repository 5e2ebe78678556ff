"""The fault test's verdict (bench/outage/targets.py): pure functions, no servers, no database."""

from bench.outage import targets
from bench.outage.load import result
from bench.outage.probes import summary

LOAD_STARTED = 1_000.0


def wrk_output(error_buckets=()):
    """A wrk report as bench/faults.lua prints it, with errors in the given 100 ms buckets."""
    lines = [
        "  1000 requests in 10.00s, 1.00MB read",
        "Requests/sec:    100.00",
        "     50%   10.00ms",
        "     99%   50.00ms",
        "FAULTS status 200 1000",
        "FAULTS cache hit 900",
        "FAULTS cache miss 100",
    ]
    lines += [f"FAULTS error_bucket {bucket} 1" for bucket in error_buckets]
    return "\n".join(lines) + "\n"


def healthy_probe(start=LOAD_STARTED, count=100):
    return [(start + i * 0.1, start + i * 0.1 + 0.01, 200) for i in range(count)]


def figures(window, pg_up, wrk_outputs=None, probe_records=None, visible_after=0.05, worker_timeouts=0):
    wrk_outputs = wrk_outputs or {"A": wrk_output(), "B": wrk_output()}
    probe_records = probe_records or {}
    names = [f"{server}:{kind}" for server in "AB" for kind in ("healthz", "db")]
    return {
        "wrk": {name: result(output, window, LOAD_STARTED) for name, output in wrk_outputs.items()},
        "probes": {name: summary(probe_records.get(name, healthy_probe()), window, pg_up) for name in names},
        "servers": {name: {"worker_timeouts": worker_timeouts, "workers_replaced": 0} for name in "AB"},
        "edit": {"visible_on_b_after_s": visible_after},
    }


def test_without_a_restart_the_outage_targets_are_not_measured_and_the_run_passes():
    window = targets.error_window(None)

    results = targets.targets(figures(window, pg_up=None), restarted=False)
    passed, missed, unmeasured = targets.verdict(results)

    assert window is None
    assert passed and missed == []
    assert unmeasured == [targets.OUTAGE_SEEN, targets.RECOVERY]
    assert results[targets.ERRORS_ANY] is True
    assert targets.ERRORS_OUTSIDE not in results


def test_without_a_restart_every_error_counts():
    error_at = int((LOAD_STARTED + 5) * 10)  # a 500 five seconds into the load
    run = figures(None, None, wrk_outputs={"A": wrk_output([error_at]), "B": wrk_output()})

    results = targets.targets(run, restarted=False)
    passed, missed, _ = targets.verdict(results)

    assert run["wrk"]["A"]["errors_outside_window"] == 1
    assert not passed
    assert missed == [targets.ERRORS_ANY]


def test_without_a_restart_a_failed_probe_or_a_slow_edit_still_fails():
    failing = healthy_probe()
    failing[10] = (failing[10][0], failing[10][1], 503)
    run = figures(None, None, probe_records={"B:db": failing}, visible_after=None)

    passed, missed, _ = targets.verdict(targets.targets(run, restarted=False))

    assert not passed
    assert missed == [targets.ERRORS_ANY, targets.EDIT]


def restart_timeline(stop=LOAD_STARTED + 5, up=LOAD_STARTED + 6):
    return {"stop_issued": stop, "first_refused": stop + 0.1, "start_issued": up - 0.2, "accepting_again": up}


def outage_probe(stop, up):
    """A database probe failing while PostgreSQL is down and answering again 0.2 s after it is up."""
    records = []
    for i in range(100):
        start = LOAD_STARTED + i * 0.1
        records.append((start, start + 0.01, 503 if stop <= start < up + 0.2 else 200))
    return records


def test_with_a_restart_errors_in_the_window_pass_and_every_target_is_measured():
    timeline = restart_timeline()
    window = targets.error_window(timeline)
    stop, up = timeline["stop_issued"], timeline["accepting_again"]
    in_outage = int((stop + 0.5) * 10)
    run = figures(
        window,
        up,
        wrk_outputs={"A": wrk_output([in_outage]), "B": wrk_output([in_outage])},
        probe_records={"A:db": outage_probe(stop, up), "B:db": outage_probe(stop, up)},
    )

    results = targets.targets(run, restarted=True)
    passed, missed, unmeasured = targets.verdict(results)

    assert window == (stop, up + targets.GRACE_AFTER_UP)
    assert passed and missed == [] and unmeasured == []
    assert run["wrk"]["A"]["errors_in_window"] == 1
    assert run["probes"]["A:db"]["recovery_s"] <= targets.RECOVERY_TARGET


def test_with_a_restart_an_outage_the_probes_never_saw_fails():
    timeline = restart_timeline()
    window = targets.error_window(timeline)

    results = targets.targets(figures(window, timeline["accepting_again"]), restarted=True)
    passed, missed, _ = targets.verdict(results)

    assert not passed
    assert missed == [targets.OUTAGE_SEEN]


def test_with_a_restart_an_error_after_the_grace_period_and_a_worker_timeout_fail():
    timeline = restart_timeline()
    window = targets.error_window(timeline)
    stop, up = timeline["stop_issued"], timeline["accepting_again"]
    late = int((up + targets.GRACE_AFTER_UP + 1) * 10)
    run = figures(
        window,
        up,
        wrk_outputs={"A": wrk_output([late]), "B": wrk_output()},
        probe_records={"A:db": outage_probe(stop, up), "B:db": outage_probe(stop, up)},
        worker_timeouts=1,
    )

    passed, missed, _ = targets.verdict(targets.targets(run, restarted=True))

    assert not passed
    assert missed == [targets.ERRORS_OUTSIDE, targets.WORKERS]
