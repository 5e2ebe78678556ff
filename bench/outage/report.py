"""The fault test's report: the figures as bench/faults.json holds them, and as they are printed.

Times in the report are seconds from the start of the load.
"""

import time

from .targets import GRACE_AFTER_UP


def relative(moment, origin):
    return None if moment is None else round(moment - origin, 2)


def postgres_section(timeline, window, origin):
    if timeline is None:
        return {"restarted": False}
    up = timeline["accepting_again"]
    return {
        "restarted": True,
        "stop_issued_s": relative(timeline["stop_issued"], origin),
        "first_refused_s": relative(timeline["first_refused"], origin),
        "start_issued_s": relative(timeline["start_issued"], origin),
        "accepting_again_s": relative(up, origin),
        "downtime_s": round(up - timeline["stop_issued"], 3),
        "error_window_s": [relative(window[0], origin), relative(window[1], origin)],
    }


def probes_section(probes, origin):
    return {
        name: {
            **figures,
            "first_failure": relative(figures["first_failure"], origin),
            "last_failure": relative(figures["last_failure"], origin),
            "first_success_after_up": relative(figures["first_success_after_up"], origin),
            "outside_examples": [(relative(t, origin), s) for t, s in figures["outside_examples"]],
        }
        for name, figures in probes.items()
    }


def servers_section(workers_before, workers_after, logs):
    return {
        name: {
            "workers_before": workers_before[name],
            "workers_after": workers_after[name],
            "workers_replaced": len(set(workers_before[name]) - set(workers_after[name])),
            **logs[name],
        }
        for name in workers_before
    }


def build(setup, run, origin):
    """Return the report: ``setup`` as it is, ``run``'s figures with times made relative."""
    return {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "setup": setup,
        "postgres": postgres_section(run["timeline"], run["window"], origin),
        "probes": probes_section(run["probes"], origin),
        "wrk": run["wrk"],
        "servers": servers_section(run["workers_before"], run["workers_after"], run["logs"]),
        "load_s": round(run["load_ended"] - origin, 2),
        "edit": run["edit"],
    }


# Printing.


def print_setup(s):
    restarted = s.get("postgres_restarted", True)
    restart = "PostgreSQL restart" if restarted else "PostgreSQL left alone (--no-restart)"
    moment = "just before the restart" if restarted else "half way through the load"
    print(f"\n=== Fault test: {restart} under load, two app servers sharing Redis ===")
    print(
        f"{s['database']} ({s['public_pieces']} public pieces); servers A {s['servers']['A']} and "
        f"B {s['servers']['B']}, gunicorn {s['gunicorn']}, {s['settings']}; Redis {s['redis']}"
    )
    print(f"wrk {s['duration_s']} s, {s['connections']} connections over: {' '.join(s['pages'])}")
    print(
        f"Connections to the database {moment}: {s['app_db_connections_at_midpoint']} "
        f"(max_connections {s['postgres_max_connections']})"
    )
    print("Times are seconds from the start of the load.\n")


def print_postgres(pg):
    if not pg["restarted"]:
        print("PostgreSQL: not restarted (--no-restart): no error window, every error counts\n")
        return
    print(
        f"PostgreSQL: stop issued at {pg['stop_issued_s']}, refusing from {pg['first_refused_s']}, "
        f"start issued at {pg['start_issued_s']}, accepting again at {pg['accepting_again_s']}: "
        f"down {pg['downtime_s']} s"
    )
    window = pg["error_window_s"]
    print(f"Errors allowed in [{window[0]}, {window[1]}] (the outage + {GRACE_AFTER_UP:g} s)\n")


def print_wrk(results):
    print(
        f"{'load':<6}{'requests':>10}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'non-2xx':>9}{'in win':>8}"
        f"{'outside':>8}  statuses; socket errors; errors from-to"
    )
    for name, w in results.items():
        statuses = " ".join(f"{k}:{v}" for k, v in w["statuses"].items())
        statuses += " (X-Cache " + " ".join(f"{k}:{v}" for k, v in w["x_cache"].items()) + ")"
        sock = ",".join(f"{k} {v}" for k, v in w["socket_errors"].items() if v) or "none"
        print(
            f"{name:<6}{w['requests']:>10}{w['rps']:>9.0f}{w['p50_ms']!s:>8}{w['p99_ms']!s:>8}"
            f"{w['non_2xx_3xx']:>9}{w['errors_in_window']:>8}{w['errors_outside_window']:>8}  "
            f"{statuses}; {sock}; {w['first_error_s']}–{w['last_error_s']}"
        )
        if w["errors_outside_window"]:
            print(f"      outside the window at (s: count): {w['errors_outside_window_at_s']}")


def print_probes(probes):
    print(
        f"\n{'probe':<11}{'probes':>7}{'fails':>7}{'first fail':>11}{'last fail':>10}{'outside':>8}"
        f"{'recovery s':>11}  statuses while failing"
    )
    for name, p in probes.items():
        print(
            f"{name:<11}{p['probes']:>7}{p['failures']:>7}{p['first_failure']!s:>11}{p['last_failure']!s:>10}"
            f"{p['failures_outside_window']:>8}{p['recovery_s']!s:>11}  "
            f"{', '.join(p['failure_statuses']) or '—'}"
        )
        if p["outside_examples"]:
            print(f"      outside the window: {p['outside_examples']}")
    print()


def print_servers(servers):
    for name, v in servers.items():
        print(
            f"server {name}: workers {v['workers_before']} -> {v['workers_after']} "
            f"({v['workers_replaced']} replaced), {v['worker_timeouts']} worker timeouts, "
            f"{v['internal_server_errors']} 500s logged"
        )
        for kind, count in v["database_errors"].items():
            print(f"      {count:>5} x {kind}")


def print_edit(e):
    print(
        f"\nEdit: {e['piece']} warmed on B ({e['warm_on_b']['x_cache']}, old title shown: "
        f"{e['warm_on_b']['old_title_shown']}); title changed in A's admin (POST {e['admin_post_s']} s); "
        f"new title on B {e['visible_on_b_after_s']} s after the save returned "
        f"({e['visible_on_b_after_post_start_s']} s after it was sent; B: {e['b_x_cache_when_seen']}, "
        f"{e['b_requests_until_seen']} request(s)); title restored: {e['title_restored_on_b']}"
    )


def print_targets(targets):
    print("\nTargets:")
    marks = {True: "ok", False: "FAIL", None: "not measured"}
    for name, met in targets.items():
        print(f"  [{marks[met]}] {name}")


def print_report(r):
    print_setup(r["setup"])
    print_postgres(r["postgres"])
    print_wrk(r["wrk"])
    print_probes(r["probes"])
    print_servers(r["servers"])
    print_edit(r["edit"])
    print_targets(r["targets"])
