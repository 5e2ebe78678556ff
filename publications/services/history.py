"""Versions of a piece: what each one held, restoring one, recovering a deleted piece.

A restore brings back content (title, summary, body, authors, terms, outlet, files), never the
workflow state: status and publish time stay as they are, so a live piece stays live.
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from .. import rules
from ..models import Authorship, Publication, VersionContent
from .save import write_state
from .state import FIELDS, TERMS, publication_state

RESTORED_FIELDS = tuple(name for name in FIELDS if name != "slug")  # the address stays


def version_states(versions):
    """Return the content states the versions of pieces held, reading their bylines and terms in
    one query (a history page asks for every version at once)."""
    versions = list(versions)
    contents = {}  # (revision, piece) -> the last state written in that revision
    for content in VersionContent.objects.filter(revision_id__in={v.revision_id for v in versions}).order_by(
        "pk"
    ):
        contents[content.revision_id, content.publication_id] = content.state
    return [_version_state(v, contents.get((v.revision_id, int(v.object_id)))) for v in versions]


def version_state(version):
    """Return the content state a version of a piece held, from its own rows only."""
    return version_states([version])[0]


def _version_state(version, content):
    data = version.field_dict
    state = {name: _stored(name, data) for name in FIELDS}
    piece = int(version.object_id)
    if content is not None:
        return {**state, **content}
    # A version kept before VersionContent: its byline and terms are versions of their own.
    types = ContentType.objects.get_for_models(Authorship, *TERMS.values())
    related = version.revision.version_set.filter(content_type__in=[t.pk for t in types.values()])
    authors = [
        v.field_dict
        for v in related
        if v.content_type_id == types[Authorship].pk and _belongs(v, "publication_id", piece)
    ]
    state["authors"] = [
        [a["person_id"], a["bio_line"]] for a in sorted(authors, key=lambda a: (a["position"], a["id"]))
    ]
    for key, through in TERMS.items():
        state[key] = sorted(
            v.field_dict["tag_id"]
            for v in related
            if v.content_type_id == types[through].pk and _belongs(v, "content_object_id", piece)
        )
    return state


def _belongs(version, field, piece):
    return version.field_dict.get(field) == piece


def _stored(name, data):
    value = data.get("type_id" if name == "type" else name)
    if name in ("pdf", "image"):
        return getattr(value, "name", value) or ""
    if name == "outlet_date" and value is not None:
        return value.isoformat()
    return value if value is not None else ("" if name not in ("is_featured", "is_sample") else False)


def versions_of(publication):
    """Return the piece's versions, newest first, with their revisions and users."""
    return Version.objects.get_for_object(publication).select_related("revision", "revision__user")


def _version_label(version):
    return timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M:%S")


@transaction.atomic
@reversion.create_revision(manage_manually=True, atomic=False)
def publication_restore(*, publication, version, user):
    """Bring back a version's content; keep status and publish time. Return the changed keys."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if not rules.can_edit(user, publication):
        raise PermissionDenied(_("You are not allowed to change this piece."))
    if version.content_type.model_class() is not Publication or int(version.object_id) != publication.pk:
        raise ValidationError(_("That version is not one of this piece's."))
    now = publication_state(publication)
    old = version_state(version)
    state = {**now, **{key: old[key] for key in (*RESTORED_FIELDS, "authors", *TERMS)}}
    state["authors"] = _still_there(state["authors"])
    comment = _("Restored the version of %(date)s") % {"date": _version_label(version)}
    write_state(publication, state, now=now, user=user, comment=comment)
    return [key for key in state if state[key] != now[key]]


def _still_there(authors):
    """Return the byline without the people deleted since (one query)."""
    from people.models import Person

    there = set(
        Person.objects.filter(pk__in=[person for person, _line in authors]).values_list("pk", flat=True)
    )
    return [[person, line] for person, line in authors if person in there]


@transaction.atomic
@reversion.create_revision(manage_manually=True, atomic=False)
def publication_recover(*, version, user):
    """Bring a deleted piece back, as a draft, with its authors and terms. Return the piece."""
    if not rules.can_publish(user):
        raise PermissionDenied(_("Only editors can recover deleted pieces."))
    if Publication.objects.filter(pk=version.object_id).exists():
        raise ValidationError(_("This piece was not deleted: open it to restore one of its versions."))
    state = version_state(version)
    data = version.field_dict
    publication = Publication(
        pk=int(version.object_id),
        status=Publication.Status.DRAFT,
        publish_at=data.get("publish_at"),
        created_by_id=data.get("created_by_id"),
        type_id=state["type"],
    )
    state["authors"] = _still_there(state["authors"])
    empty = publication_state(Publication())
    write_state(publication, state, now=empty, user=user, comment=_("Recovered after deletion, as a draft"))
    return publication
