"""What every write of a piece ends with: the bio lines of its day drafted, a version kept."""

import reversion

from ..models import Publication, VersionContent
from .state import TERMS, publication_state


def draft_bio_lines(publication):
    """Store, in each empty bio line of a published piece, the line its author had on the day.

    Return {person id: line} of the lines drafted.
    """
    drafted = {}
    if publication.status != Publication.Status.PUBLISHED or not publication.publish_at:
        return drafted
    day = publication.publish_date
    for authorship in publication.authorships.filter(bio_line="").select_related("person"):
        authorship.bio_line = authorship.person.bio_line_on(day)
        if authorship.bio_line:
            authorship.save(update_fields=["bio_line"])
            drafted[authorship.person_id] = authorship.bio_line
    return drafted


def record_revision(publication, user, comment, state=None):
    """Keep a version of the piece, with its authors and terms, as it now stands.

    ``state`` is the piece's state as just written, if the caller has it (else it is read). The
    services open their revisions with ``manage_manually``: only this call adds to them, so a
    save is one version and one VersionContent, not a version for every row it touched.
    """
    state = state or publication_state(publication)
    reversion.add_to_revision(publication)
    reversion.add_meta(
        VersionContent,
        publication_id=publication.pk,
        state={key: state[key] for key in ("authors", *TERMS)},
    )
    if user is not None:
        reversion.set_user(user)
    reversion.set_comment(comment)
