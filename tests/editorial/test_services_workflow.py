"""The workflow's steps, called as the admin calls them: who may take which step, and when."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from publications.models import Publication
from publications.services import (
    publication_archive,
    publication_publish,
    publication_schedule,
    publication_submit,
    publication_unpublish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_draft(own_piece):
    return own_piece(title="Carla's draft")


@pytest.mark.parametrize(
    "service",
    [publication_publish, publication_unpublish, publication_archive],
    ids=lambda service: service.__name__,
)
def test_a_contributor_cannot_move_their_own_piece_through_an_editors_step(own_draft, contributor, service):
    with pytest.raises(PermissionDenied):
        service(publication=own_draft, user=contributor)
    own_draft.refresh_from_db()
    assert own_draft.status == Publication.Status.DRAFT and own_draft.publish_at is None


def test_a_contributor_cannot_schedule_their_own_piece(own_draft, contributor):
    with pytest.raises(PermissionDenied):
        publication_schedule(
            publication=own_draft, user=contributor, publish_at=timezone.now() + datetime.timedelta(days=1)
        )
    own_draft.refresh_from_db()
    assert own_draft.status == Publication.Status.DRAFT and own_draft.publish_at is None


def test_a_contributor_cannot_submit_someone_elses_draft(piece, contributor):
    with pytest.raises(PermissionDenied):
        publication_submit(publication=piece, user=contributor)
    assert Publication.objects.get(pk=piece.pk).status == Publication.Status.DRAFT


def test_a_contributor_submits_their_own_draft_for_review(own_draft, contributor):
    publication_submit(publication=own_draft, user=contributor)
    assert Publication.objects.get(pk=own_draft.pk).status == Publication.Status.IN_REVIEW


def test_only_a_draft_can_be_submitted_for_review(own_piece, contributor):
    in_review = own_piece(status=Publication.Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        publication_submit(publication=in_review, user=contributor)


@pytest.mark.parametrize("when", [datetime.timedelta(minutes=-1), None], ids=["in the past", "no time"])
def test_an_editor_cannot_schedule_a_piece_without_a_future_time(piece, editors, when):
    with pytest.raises(ValidationError):
        publication_schedule(publication=piece, user=editors[0], publish_at=when and timezone.now() + when)
    piece.refresh_from_db()
    assert piece.status == Publication.Status.DRAFT and piece.publish_at is None


def test_publishing_again_keeps_a_pieces_first_publish_time(live_piece, editors):
    piece, _draft_version = live_piece
    first = piece.publish_at
    publication_archive(publication=piece, user=editors[0])
    publication_publish(publication=piece, user=editors[0])
    assert Publication.objects.get(pk=piece.pk).publish_at == first
