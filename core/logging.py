"""Structured logs: one JSON object per line, and one line per request.

Every request gets an id (the proxy's X-Request-ID when it sends a sane one, otherwise a new one),
returned in the X-Request-ID header, so a reader's report can be matched with the log line.
Nothing from a request body is logged, and the query string is cut at 200 characters. Neither an
email address (a staff search in the admin, a reader's search) nor a signed token (Django's
``value:timestamp:signature``, which opens, say, a subscriber's preferences) is written: the
path and query are logged with them replaced by ``<address>`` and ``<token>``.
"""

import logging
import re
import time
import uuid

from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter

from .security import client_ip
from .text import without_addresses

request_log = logging.getLogger("publications.request")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SIGNED = re.compile(r"[A-Za-z0-9_.-]{8,}:[A-Za-z0-9]{4,}:[A-Za-z0-9_-]{20,}")


def redact(text):
    """Return ``text`` (a path or query string) without email addresses or signed tokens."""
    return SIGNED.sub("<token>", without_addresses(text))


class DemoteFilter(logging.Filter):
    """Log a bad Host header or an oversized query string as a warning, not an error.

    Django reports each one on ``django.security.*`` at ERROR; they are scanners' noise that the
    site answers with a 400, not faults an operator must act on.
    """

    def filter(self, record):
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def json_formatter():
    """One JSON object per line (python-json-logger), named as the house's log readers expect:
    time (UTC, ISO 8601), level, logger, message, then whatever came in ``extra``."""
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
        timestamp="time",
        json_ensure_ascii=False,
    )


def _user_id(request):
    """Return the signed-in user's id if the request already loaded it (never load it for this)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """Log method, path, status, duration, size, cache outcome, user and client of each request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        duration = (time.perf_counter() - started) * 1000
        response["X-Request-ID"] = request.id
        query, path = redact(request.META.get("QUERY_STRING", "")), redact(request.path)
        status = response.status_code
        request_log.log(
            logging.ERROR if status >= 500 else logging.WARNING if status in (403, 429) else logging.INFO,
            "%s %s %s",
            request.method,
            path,
            status,
            extra={
                "request_id": request.id,
                "method": request.method,
                "path": path[:500],
                "query": query[:200],
                "status": status,
                "duration_ms": round(duration, 1),
                "bytes": None if response.streaming else len(response.content),
                "cache": response.get("X-Cache", ""),
                "user_id": _user_id(request),
                "client_ip": client_ip(request),
                "user_agent": request.headers.get("User-Agent", "")[:200],
            },
        )
        return response
