"""Server time through Django's test client (in a process set up by project.setup_django())."""

import statistics
import time


def time_page(client, url, warm):
    """Return (status, queries of one request, times in ms of ``warm`` more)."""
    from django.db import connection

    executed = []

    def count(execute, *args):
        executed.append(1)
        return execute(*args)

    with connection.execute_wrapper(count):
        status = client.get(url).status_code
    times = []
    for _ in range(warm):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return status, len(executed), times


def p50(times):
    return statistics.median(times)


def p95(times):
    return statistics.quantiles(times, n=20)[-1]
