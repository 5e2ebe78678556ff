"""Staff preview unpublished pieces at their public address; nobody else sees them."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from tests.factories import AppointmentFactory, FellowshipFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(contributor):
    person = PersonFactory(name="Anna Example", job_title="")
    AppointmentFactory(person=person, fellowship=FellowshipFactory(holder_title="Ira Weiner Fellow"))
    return PublicationFactory(
        title="Draft under embargo", status="draft", publish_at=None, created_by=contributor, authors=[person]
    )


def test_editors_preview_a_draft_exactly_as_readers_will_see_it(as_user, editor, draft):
    response = as_user(editor).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: not published." in response.text
    assert "Draft under embargo" in response.text
    # The bio line as readers will read it (its fellowship is a link).
    assert "Anna Example is an Ira Weiner Fellow at The Washington Institute." in strip_tags(response.text)
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_contributor_previews_their_own_piece_but_not_others(as_user, contributor, make_user, draft):
    assert as_user(contributor).get(draft.get_absolute_url()).status_code == 200
    other = make_user("otto", "Contributors")
    assert as_user(other).get(draft.get_absolute_url()).status_code == 404


def test_a_scheduled_piece_can_be_previewed_by_editors(as_user, editor):
    scheduled = PublicationFactory(publish_at=timezone.now() + datetime.timedelta(hours=3))
    response = as_user(editor).get(scheduled.get_absolute_url())
    assert response.status_code == 200 and "Status: Scheduled." in response.text


def test_readers_and_non_staff_get_a_404(client, django_user_model, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_published_piece_has_no_preview_banner_even_for_staff(as_user, editor):
    piece = PublicationFactory()
    response = as_user(editor).get(piece.get_absolute_url())
    assert "Preview: not published." not in response.text
    assert "noindex" not in response.text
