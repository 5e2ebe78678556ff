"""What the write path tells other apps once a workflow step has committed.

The workflow services (services/workflow.py) announce each step here, after the transaction
that made it commits: an app that acts on it (the email alerts, the editors' notices) listens in
its ``AppConfig.ready()``. Nothing is announced for a step that rolled back, and a listener that
fails never undoes the step (it runs after the commit; its own work goes on a task queue).

Events, each with the keyword arguments ``publication`` (its id) and ``user`` (the staff
member's id, or None):

- ``submitted``: a draft was sent to the editors for review;
- ``sent_back``: an editor returned a piece in review to its author (with ``note``);
- ``published``: a piece went public now;
- ``scheduled``: a piece will go public at ``publish_at`` (nobody will be there when it does);
- ``withdrawn``: a piece left the public site (unpublished or archived).
"""

from collections import defaultdict
from functools import partial

from django.db import transaction

EVENTS = ("submitted", "sent_back", "published", "scheduled", "withdrawn")
_listeners = defaultdict(list)


def listen(event, handler):
    """Call ``handler(**details)`` after each committed ``event``."""
    if event not in EVENTS:
        raise ValueError(f"Unknown workflow event: {event}")
    if handler not in _listeners[event]:
        _listeners[event].append(handler)


def announce(event, **details):
    """Tell the listeners of ``event`` once the current transaction commits."""

    for handler in list(_listeners[event]):
        # Each on its own: one listener's failure is logged and the others still run.
        transaction.on_commit(partial(handler, **details), robust=True)
