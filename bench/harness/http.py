"""HTTP with urllib: answers, not exceptions, and no redirects followed."""

import urllib.error
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


PLAIN = urllib.request.build_opener(NoRedirect)


def fetch(url, opener=PLAIN, data=None, headers=None, timeout=10):
    """Return (status, headers, body text); an HTTP error status is an answer, not an exception."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def answers(url, timeout=2):
    """Return whether ``url`` answers 200 (False while nothing listens)."""
    try:
        return fetch(url, timeout=timeout)[0] == 200
    except OSError:
        return False
