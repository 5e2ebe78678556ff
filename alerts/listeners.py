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


def notice_published(*, publication, user=None):
    """The author hears that their piece is public."""
    from .notices import notify_published

    notify_published.enqueue(publication, user)


def notice_scheduled(*, publication, publish_at, user=None):
    """The author hears when their scheduled piece goes public, not when it was scheduled."""
    from .notices import notify_published

    notify_published.using(run_after=publish_at).enqueue(publication, user, publish_at.isoformat())
