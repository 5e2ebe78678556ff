"""Error pages that need more than a template, and the favicon."""

import sys

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
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


def bad_request(request, exception):
    """Render the 400 page, with the reason when it is one written for readers."""
    message = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"message": message}, status=400)


def favicon(request):
    """Send browsers asking for /favicon.ico to the site's icon."""
    return redirect(static("img/favicon.svg"), permanent=True)
