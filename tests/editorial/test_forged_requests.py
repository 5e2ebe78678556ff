"""A hostile contributor's forged requests to the admin, each refused with nothing written or shown.

Each test is a request a contributor could type by hand (version ids are sequential, so they
are found by scanning), sent as the admin would receive it.
"""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from publications.models import Autosave, Publication, SlugRedirect
from publications.services import (
    publication_publish,
    publication_save,
    publication_state,
    publication_submit,
    publication_unpublish,
)
from tests.editorial.admin_support import change_url
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

RESTORE_FORM = {"_save": "Save"}  # all a forged restore sends, besides the CSRF token


def history_url(piece):
    return reverse("admin:publications_publication_history", args=[piece.pk])


def revision_url(piece, version):
    return reverse("admin:publications_publication_revision", args=[piece.pk, version.pk])


def autosave_url(piece):
    return reverse("admin:publications_publication_autosave", args=[piece.pk])


def save(piece, user, **changes):
    state = publication_state(piece)
    return publication_save(publication=piece, user=user, state={**state, **changes}, base=state)


def first_version(piece):
    return Version.objects.get_for_object(piece).order_by("pk").first()


@pytest.fixture
def editors_piece(editor):
    """Return an editor's piece first saved as a draft (its first version), then rewritten and published."""
    piece = PublicationFactory(
        title="Draft-time title",
        body="<p>Draft-time body.</p>",
        status="draft",
        publish_at=None,
        created_by=editor,
    )
    save(piece, editor)
    save(piece, editor, title="The published title", body="<p>The published body.</p>")
    return publication_publish(publication=piece, user=editor)


@pytest.fixture
def editors_draft(editor):
    piece = PublicationFactory(
        title="Editor's secret draft",
        slug="editors-secret-draft",
        status="draft",
        publish_at=None,
        created_by=editor,
    )
    save(piece, editor)
    save(piece, editor, summary="A second version.")
    return piece


# Restore


def test_a_contributor_cannot_restore_an_old_draft_over_an_editors_published_piece(
    as_user, contributor, editors_piece
):
    published_at = editors_piece.publish_at
    versions = Version.objects.get_for_object(editors_piece).count()
    response = as_user(contributor).post(
        revision_url(editors_piece, first_version(editors_piece)), RESTORE_FORM
    )
    assert response.status_code in (302, 403)
    piece = Publication.objects.get(pk=editors_piece.pk)
    assert piece.is_public and piece.publish_at == published_at
    assert piece.title == "The published title" and piece.body == "<p>The published body.</p>"
    assert Version.objects.get_for_object(piece).count() == versions


def test_a_contributor_cannot_put_a_piece_an_editor_pulled_back_online(
    as_user, contributor, editor, editors_piece
):
    published_version = Version.objects.get_for_object(editors_piece).first()  # as it went live
    publication_unpublish(publication=editors_piece, user=editor)
    save(editors_piece, editor, title="Pulled for a correction")
    versions = Version.objects.get_for_object(editors_piece).count()
    response = as_user(contributor).post(revision_url(editors_piece, published_version), RESTORE_FORM)
    assert response.status_code in (302, 403)
    piece = Publication.objects.get(pk=editors_piece.pk)
    assert piece.status == Publication.Status.DRAFT and not piece.is_public
    assert not Publication.objects.published().filter(pk=piece.pk).exists()
    assert piece.title == "Pulled for a correction"
    assert Version.objects.get_for_object(piece).count() == versions


def test_a_contributor_cannot_reopen_their_own_published_piece_by_restoring_its_in_review_version(
    as_user, contributor, editor, own_piece
):
    piece = own_piece(title="Carla's title")
    save(piece, contributor)
    publication_submit(publication=piece, user=contributor)
    in_review = Version.objects.get_for_object(piece).first()
    save(piece, editor, title="The editor's title")
    piece = publication_publish(publication=piece, user=editor)
    versions = Version.objects.get_for_object(piece).count()

    response = as_user(contributor).post(revision_url(piece, in_review), RESTORE_FORM)
    assert response.status_code == 403
    piece = Publication.objects.get(pk=piece.pk)
    assert piece.is_public and piece.title == "The editor's title"
    assert Version.objects.get_for_object(piece).count() == versions


def test_a_contributor_cannot_read_another_pieces_version_through_their_own_pieces_address(
    as_user, contributor, own_piece, editors_draft
):
    mine = own_piece()
    save(mine, contributor)
    response = as_user(contributor).get(revision_url(mine, first_version(editors_draft)))
    assert response.status_code == 404
    assert "secret draft" not in response.text


# Recover


@pytest.fixture
def deleted_version(editor):
    piece = PublicationFactory(title="Deleted secret piece", created_by=editor)
    save(piece, editor)
    piece.delete()
    return Version.objects.get_deleted(Publication).get()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_contributor_is_refused_the_list_of_deleted_pieces_and_sees_no_title(
    as_user, contributor, deleted_version, method
):
    response = getattr(as_user(contributor), method)(reverse("admin:publications_publication_recoverlist"))
    assert response.status_code == 403
    assert "Deleted secret piece" not in response.text


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_contributor_cannot_recover_a_deleted_piece_or_see_its_title(
    as_user, contributor, deleted_version, method
):
    url = reverse("admin:publications_publication_recover", args=[deleted_version.pk])
    response = getattr(as_user(contributor), method)(url, RESTORE_FORM if method == "post" else None)
    assert response.status_code == 403
    assert "Deleted secret piece" not in response.text
    assert not Publication.objects.filter(pk=deleted_version.object_id).exists()


# History and versions of someone else's draft


@pytest.mark.parametrize("page", ["history", "revision"])
def test_a_contributor_learns_nothing_of_an_editors_draft_from_its_history(
    as_user, contributor, editors_draft, page
):
    url = (
        history_url(editors_draft)
        if page == "history"
        else revision_url(editors_draft, first_version(editors_draft))
    )
    client = as_user(contributor)
    response = client.get(url)
    assert response.status_code in (302, 403, 404)
    assert "secret draft" not in response.text
    landing = client.get(url, follow=True)  # the page the refusal leads to, with its message
    assert "secret draft" not in landing.text and "editors-secret-draft" not in landing.text


def test_an_editor_still_sees_the_history_of_any_draft(as_user, editor, contributor, own_piece):
    piece = own_piece(title="Carla's visible draft")
    save(piece, contributor)
    client = as_user(editor)
    assert "Carla&#x27;s visible draft" in client.get(history_url(piece)).text
    assert client.get(revision_url(piece, first_version(piece))).status_code == 200


# Old addresses


@pytest.fixture
def renamed_piece(editor):
    """Return a published piece whose address changed from "old-address" to "new-address"."""
    piece = PublicationFactory(slug="old-address", created_by=editor)
    save(piece, editor, slug="new-address")
    assert SlugRedirect.objects.get(old_slug="old-address").publication_id == piece.pk
    return piece


@pytest.mark.parametrize(
    "slug", ["old-address", "new-address"], ids=["its old address", "its current address"]
)
def test_a_contributor_cannot_take_a_published_pieces_address_for_a_new_draft(
    as_user, contributor, piece_form, renamed_piece, slug
):
    response = as_user(contributor).post(
        reverse("admin:publications_publication_add"), piece_form(slug=slug, title="Squatter")
    )
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert not Publication.objects.filter(title="Squatter").exists()
    assert SlugRedirect.objects.get(old_slug="old-address").publication_id == renamed_piece.pk
    assert Publication.objects.get(pk=renamed_piece.pk).slug == "new-address"


def test_a_contributor_cannot_move_their_draft_onto_a_published_pieces_old_address(
    django_app, contributor, own_piece, renamed_piece
):
    draft = own_piece(slug="my-draft")
    form = django_app.get(change_url(draft), user=contributor).forms["publication_form"]
    form["slug"] = "old-address"  # the address field is the contributor's to type in
    response = form.submit("_save")
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Publication.objects.get(pk=draft.pk).slug == "my-draft"
    assert SlugRedirect.objects.get(old_slug="old-address").publication_id == renamed_piece.pk


# Autosave


@pytest.mark.parametrize("whose", ["an editor's draft", "their own published piece"])
def test_a_contributor_cannot_autosave_onto_a_piece_they_may_not_edit(
    as_user, contributor, editors_draft, own_piece, whose
):
    piece = (
        editors_draft
        if whose == "an editor's draft"
        else own_piece(status="published", publish_at=timezone.now() - datetime.timedelta(days=1))
    )
    response = as_user(contributor).post(
        autosave_url(piece), {"fields": json.dumps({"title": "Overwritten"})}
    )
    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_a_contributor_autosaves_their_own_draft(as_user, contributor, own_piece):
    piece = own_piece()
    response = as_user(contributor).post(autosave_url(piece), {"fields": json.dumps({"title": "Typing…"})})
    assert response.status_code == 200
    assert Autosave.objects.get(user=contributor, publication=piece).fields == {"title": "Typing…"}
