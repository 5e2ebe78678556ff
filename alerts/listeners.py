"""What the email alerts do after each workflow step (publications/events.py): put it on the queue."""


def piece_published(*, publication, user=None):
    from .tasks import dispatch_piece

    dispatch_piece.enqueue(publication)


def piece_scheduled(*, publication, publish_at, user=None):
    from .tasks import dispatch_piece

    dispatch_piece.using(run_after=publish_at).enqueue(publication)


def piece_submitted(*, publication, user=None):
    from .tasks import notify_submitted

    notify_submitted.enqueue(publication, user)


def piece_sent_back(*, publication, user=None, note=""):
    from .tasks import notify_sent_back

    notify_sent_back.enqueue(publication, user, note)
