"""What the services' tests share: saving as an editor would, and comparing rows by id."""

from publications.services import publication_save


def save(piece, user, base, **changes):
    """Save, as ``user``, the piece opened at ``base`` with ``changes`` typed into it."""
    return publication_save(publication=piece, user=user, state={**base, **changes}, base=base)


def ids(objects):
    return sorted(o.pk for o in objects)
