"""Error pages that need more than a template."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 10


def server_error(request):
    """Answer 503 with Retry-After when the database is unreachable, else the usual 500 page.

    A lost database connection is temporary (a restart, a failover): load balancers, crawlers and
    feed readers should come back shortly rather than record the page as broken.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request)
