"""Telling the edge caches (Varnish, ops/varnish/) which keys to purge, until each has heard.

Each edge in ``EDGE_PURGE_URLS`` gets a ``PURGE`` request naming the keys in its ``xkey-purge``
header (the VCL soft-purges every object tagged with any of them). It is sent at once, from the
process that committed the change, so a reader sees the change within a second; an edge that did
not answer is asked again by a task, with waits doubling up to ``EDGE_RETRY_MAX_SECONDS``, until
it does. A second purge follows ``EDGE_REPURGE_SECONDS`` later: a page the edge was fetching while
the change committed may have been rendered just before it.
"""

import datetime
import http.client
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.tasks import default_task_backend, task
from django.utils import timezone

logger = logging.getLogger(__name__)

# Keys per request: the request header stays well under Varnish's 8 KB limit.
HEADER_BUDGET = 4000


def batches(keys):
    batch = []
    for key in keys:
        if batch and len(" ".join([*batch, key])) > HEADER_BUDGET:
            yield batch
            batch = []
        batch.append(key)
    if batch:
        yield batch


def send(url, keys):
    """Ask one edge to purge ``keys``; return True when it said it did (a 2xx)."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    try:
        for batch in batches(keys):
            connection = connection_class(parts.hostname, parts.port, timeout=settings.EDGE_PURGE_TIMEOUT)
            try:
                connection.request("PURGE", parts.path or "/", headers={"xkey-purge": " ".join(batch)})
                status = connection.getresponse().status
            finally:
                connection.close()
            if not 200 <= status < 300:
                logger.warning("The edge %s refused a purge (HTTP %s)", url, status)
                return False
    except OSError as error:
        logger.warning("The edge %s could not be told to purge: %s", url, error)
        return False
    return True


def later(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def retry(url, keys, attempt):
    """Ask again in a while (doubling), through the task queue; a queue that cannot wait logs it."""
    if not default_task_backend.supports_defer:
        logger.error("The edge %s missed a purge and this task backend cannot retry it later", url)
        return
    wait = min(2**attempt, settings.EDGE_RETRY_MAX_SECONDS)
    purge_edge.using(run_after=later(wait)).enqueue(url, keys, attempt + 1)


def send_everywhere(keys):
    """Tell every edge; one that did not hear is asked again later."""
    for url in settings.EDGE_PURGE_URLS:
        if not send(url, keys):
            retry(url, keys, 0)


def purge(keys):
    """Purge ``keys`` at every edge now, retrying in the background where that failed."""
    send_everywhere(keys)
    if settings.EDGE_PURGE_URLS and settings.EDGE_REPURGE_SECONDS and default_task_backend.supports_defer:
        repurge.using(run_after=later(settings.EDGE_REPURGE_SECONDS)).enqueue(keys)


@task
def purge_edge(url, keys, attempt):
    if not send(url, keys):
        retry(url, keys, attempt)


@task
def repurge(keys):
    send_everywhere(keys)
