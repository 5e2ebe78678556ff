"""The alerts' background work, on Django's tasks (a worker runs them: docs/email.md)."""

from django.tasks import task


@task()
def dispatch_piece(publication_id):
    """Mail a piece that went public to every confirmed subscription it matches, once."""
    from . import sending

    sending.dispatch(publication_id)


@task()
def notify_submitted(publication_id, user_id):
    from . import notices

    notices.submitted(publication_id, user_id)


@task()
def notify_sent_back(publication_id, user_id, note):
    from . import notices

    notices.sent_back(publication_id, user_id, note)
