"""The admin never gives a contributor what only someone else's unpublished piece holds."""

import datetime

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from publications.models import Publication, SlugRedirect, Tag
from tests.factories import PublicationFactory, TopicFactory

pytestmark = pytest.mark.django_db


def suggestions(client, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "publications", "model_name": "publication", "field_name": field_name},
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


@pytest.fixture
def tagged_pieces(contributor, editor):
    PublicationFactory(tags=["Public tag"])
    PublicationFactory(status="draft", publish_at=None, created_by=editor, tags=["Editor draft tag"])
    PublicationFactory(status="draft", publish_at=None, created_by=contributor, tags=["Own draft tag"])
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    PublicationFactory(status="published", publish_at=tomorrow, created_by=editor, tags=["Scheduled tag"])
    Tag.objects.create(name="Orphan tag", slug="orphan-tag")


def test_a_contributor_is_not_suggested_a_tag_used_only_on_an_editors_draft(
    tagged_pieces, as_user, contributor
):
    assert suggestions(as_user(contributor), "tags") == {"Public tag", "Own draft tag"}


def test_a_contributor_searching_for_a_hidden_tag_by_name_finds_nothing(tagged_pieces, as_user, contributor):
    assert suggestions(as_user(contributor), "tags", "editor draft") == set()


def test_a_tag_on_a_published_piece_is_suggested_once_however_many_pieces_use_it(
    tagged_pieces, as_user, contributor
):
    PublicationFactory(tags=["Public tag"])
    response = as_user(contributor).get(
        reverse("admin:autocomplete"),
        {"term": "public", "app_label": "publications", "model_name": "publication", "field_name": "tags"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["Public tag"]


def test_an_editor_is_suggested_every_tag(tagged_pieces, as_user, editor):
    assert suggestions(as_user(editor), "tags") == {
        "Public tag",
        "Editor draft tag",
        "Own draft tag",
        "Scheduled tag",
        "Orphan tag",
    }


def test_topics_and_regions_are_suggested_to_contributors_in_full(as_user, contributor, editor):
    topic = TopicFactory(name="Only on a draft")
    PublicationFactory(status="draft", publish_at=None, created_by=editor, topics=[topic])
    TopicFactory(name="On no piece")
    assert suggestions(as_user(contributor), "topics") == {"Only on a draft", "On no piece"}


def shortcut_url(piece):
    content_type = ContentType.objects.get_for_model(Publication)
    return f"/{settings.ADMIN_URL}r/{content_type.pk}/{piece.pk}/"


def test_view_on_site_does_not_give_a_contributor_an_editors_draft_address(as_user, contributor, editor):
    draft = PublicationFactory(status="draft", publish_at=None, created_by=editor, slug="secret-plan")
    response = as_user(contributor).get(shortcut_url(draft))
    assert response.status_code == 404
    assert "secret-plan" not in response.text


def test_view_on_site_does_not_give_away_a_drafts_address_through_its_old_slug(as_user, contributor, editor):
    draft = PublicationFactory(status="draft", publish_at=None, created_by=editor, slug="secret-plan")
    old = SlugRedirect.objects.create(publication=draft, old_slug="secret-plan-v1")
    content_type = ContentType.objects.get_for_model(old)
    response = as_user(contributor).get(f"/{settings.ADMIN_URL}r/{content_type.pk}/{old.pk}/")
    assert response.status_code == 404
    assert "secret-plan" not in response.text


def test_view_on_site_takes_a_contributor_to_their_own_draft(as_user, contributor, own_piece):
    draft = own_piece(slug="my-draft")
    response = as_user(contributor).get(shortcut_url(draft))
    assert response.status_code == 302
    assert response["Location"].endswith(draft.get_absolute_url())


def test_view_on_site_takes_a_contributor_to_a_published_piece(as_user, contributor):
    piece = PublicationFactory(slug="out-now")
    response = as_user(contributor).get(shortcut_url(piece))
    assert response.status_code == 302
    assert response["Location"].endswith(piece.get_absolute_url())


def test_view_on_site_takes_an_editor_to_any_draft(as_user, editor, contributor, own_piece):
    draft = own_piece(slug="my-draft")
    response = as_user(editor).get(shortcut_url(draft))
    assert response.status_code == 302
    assert response["Location"].endswith(draft.get_absolute_url())


def test_view_on_site_sends_anyone_not_logged_in_to_the_admin_login(client):
    piece = PublicationFactory()
    response = client.get(shortcut_url(piece))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_view_on_site_still_works_for_other_objects(as_user, contributor):
    topic = TopicFactory(slug="energy")
    content_type = ContentType.objects.get_for_model(topic)
    response = as_user(contributor).get(f"/{settings.ADMIN_URL}r/{content_type.pk}/{topic.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(topic.get_absolute_url())


def test_view_on_site_answers_404_for_an_object_that_does_not_exist(as_user, contributor):
    content_type = ContentType.objects.get_for_model(Publication)
    for object_id in ("999999", "not-a-number"):
        response = as_user(contributor).get(f"/{settings.ADMIN_URL}r/{content_type.pk}/{object_id}/")
        assert response.status_code == 404
