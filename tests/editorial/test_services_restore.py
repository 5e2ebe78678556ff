"""Restoring a version of a piece and recovering a deleted one, called as the admin calls them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Version

from publications.models import Publication
from publications.services import (
    publication_recover,
    publication_restore,
    publication_schedule,
    publication_state,
    publication_unpublish,
)
from tests.editorial.services_support import ids, save
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


# Restoring


def test_restoring_a_draft_time_version_of_a_live_piece_brings_its_content_back_and_keeps_it_live(
    live_piece, editors, people, terms
):
    piece, draft_version = live_piece
    published_at = piece.publish_at
    changed = publication_restore(publication=piece, version=draft_version, user=editors[1])
    piece = Publication.objects.get(pk=piece.pk)
    assert piece.status == Publication.Status.PUBLISHED and piece.publish_at == published_at
    assert piece.is_public and Publication.objects.published().filter(pk=piece.pk).exists()
    assert (piece.title, piece.summary, piece.body) == (
        "Original title",
        "Original summary.",
        "<p>Original body.</p>",
    )
    now = publication_state(piece)
    assert [person for person, _line in now["authors"]] == ids(people[:3])
    assert now["topics"] == ids(terms["topics"][:1]) and now["regions"] == ids(terms["regions"][:1])
    assert now["tags"] == ids(terms["tags"][:2])
    assert {"title", "summary", "body", "authors", "topics", "regions", "tags"} <= set(changed)
    assert "status" not in changed


def test_restoring_a_version_of_a_scheduled_piece_keeps_it_scheduled_for_its_time(live_piece, editors):
    piece, draft_version = live_piece
    publication_unpublish(publication=piece, user=editors[0])
    later = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    publication_schedule(publication=piece, user=editors[0], publish_at=later)
    publication_restore(publication=piece, version=draft_version, user=editors[1])
    piece = Publication.objects.get(pk=piece.pk)
    assert piece.is_scheduled and piece.publish_at == later
    assert not Publication.objects.published().filter(pk=piece.pk).exists()
    assert piece.title == "Original title"


def test_restoring_keeps_the_pieces_current_address(live_piece, editors):
    piece, draft_version = live_piece
    piece = save(piece, editors[0], publication_state(piece), slug="a-new-address")
    publication_restore(publication=piece, version=draft_version, user=editors[0])
    assert Publication.objects.get(pk=piece.pk).slug == "a-new-address"


def test_a_restore_is_itself_a_version(live_piece, editors):
    piece, draft_version = live_piece
    versions = Version.objects.get_for_object(piece).count()
    publication_restore(publication=piece, version=draft_version, user=editors[1])
    newest = Version.objects.get_for_object(piece).first()
    assert Version.objects.get_for_object(piece).count() == versions + 1
    assert newest.revision.user == editors[1] and "Restored" in newest.revision.comment


def test_a_version_of_another_piece_cannot_be_restored_onto_this_one(live_piece, editors):
    piece, _draft_version = live_piece
    other = PublicationFactory(title="Another piece", status="draft", publish_at=None)
    save(other, editors[0], publication_state(other))
    with pytest.raises(ValidationError):
        publication_restore(
            publication=piece, version=Version.objects.get_for_object(other).get(), user=editors[0]
        )
    assert Publication.objects.get(pk=piece.pk).title == "Rewritten title"


@pytest.mark.parametrize("owner", ["someone else", "the contributor"])
def test_a_contributor_restoring_a_published_piece_is_refused_before_anything_is_written(
    live_piece, contributor, owner
):
    piece, draft_version = live_piece
    if owner == "the contributor":
        Publication.objects.filter(pk=piece.pk).update(created_by=contributor)
        piece.refresh_from_db()
    versions = Version.objects.get_for_object(piece).count()
    with pytest.raises(PermissionDenied):
        publication_restore(publication=piece, version=draft_version, user=contributor)
    piece = Publication.objects.get(pk=piece.pk)
    assert piece.title == "Rewritten title" and piece.is_public
    assert Version.objects.get_for_object(piece).count() == versions


# Recovering


@pytest.fixture
def deleted_version(live_piece):
    """Return the version a deleted live piece left behind."""
    piece, _draft_version = live_piece
    Publication.objects.get(pk=piece.pk).delete()
    return Version.objects.get_deleted(Publication).get()


def test_a_recovered_deleted_piece_comes_back_as_a_draft_with_its_content(
    deleted_version, editors, people, terms
):
    piece = publication_recover(version=deleted_version, user=editors[1])
    piece = Publication.objects.get(pk=piece.pk)
    assert piece.status == Publication.Status.DRAFT and not piece.is_public
    assert piece.title == "Rewritten title" and piece.body == "<p>Rewritten body.</p>"
    now = publication_state(piece)
    assert [person for person, _line in now["authors"]] == [people[3].pk]
    assert now["topics"] == ids(terms["topics"][1:]) and now["tags"] == ids(terms["tags"][2:])


def test_a_contributor_cannot_recover_a_deleted_piece(deleted_version, contributor):
    with pytest.raises(PermissionDenied):
        publication_recover(version=deleted_version, user=contributor)
    assert not Publication.objects.filter(pk=deleted_version.object_id).exists()


def test_a_piece_that_still_exists_cannot_be_recovered_over_itself(live_piece, editors):
    piece, draft_version = live_piece
    with pytest.raises(ValidationError):
        publication_recover(version=draft_version, user=editors[0])
    assert Publication.objects.get(pk=piece.pk).title == "Rewritten title"
