"""What the alerts do after each workflow step (publications/events.py): put the work on the task
queue, so the editor's request never waits for mail and a failure there never undoes the step."""


def piece_published(*, publication, user=None):
    from .sending import dispatch_piece

    dispatch_piece.enqueue(publication)


def piece_scheduled(*, publication, publish_at, user=None):
    """The worker picks the piece up at its time, with no editor there and no cron job."""
    from .sending import dispatch_piece

    dispatch_piece.using(run_after=publish_at).enqueue(publication)


def piece_submitted(*, publication, user=None):
    from .notices import notify_submitted

    notify_submitted.enqueue(publication, user)


def piece_sent_back(*, publication, user=None, note=""):
    from .notices import notify_sent_back

    notify_sent_back.enqueue(publication, user, note)
