"""An editor returns a piece in review to its author, with a note of what should change."""

import pytest
from django.urls import reverse

from publications.models import Publication
from tests.editorial.admin_support import change_url
from tests.editorial.test_roles import buttons, edit_post, forged_post

pytestmark = pytest.mark.django_db


def test_editor_sends_back_a_piece_in_review_with_a_note_kept_in_its_history(browser, editor, own_piece):
    piece = own_piece(status="in_review")
    app = browser(editor)
    response = edit_post(
        app, piece, "_transition", "send_back", send_back_note="Shorten the second section, please."
    )
    assert response.status_code == 302
    piece.refresh_from_db()
    assert piece.status == Publication.Status.DRAFT
    history = app.get(reverse("admin:publications_publication_history", args=[piece.pk])).text
    assert "Sent back to the author: Shorten the second section, please." in history


def test_send_back_is_offered_for_a_piece_in_review_only(browser, editor, own_piece):
    app = browser(editor)
    in_review = app.get(change_url(own_piece(status="in_review"))).forms["publication_form"]
    assert "send_back" in buttons(in_review, "_transition")
    assert "What should change" in app.get(change_url(own_piece(status="in_review"))).text
    draft = app.get(change_url(own_piece(status="draft")))
    assert "send_back" not in buttons(draft.forms["publication_form"], "_transition")
    assert "What should change" not in draft.text


def test_contributor_cannot_send_back_even_by_a_forged_button(browser, contributor, own_piece):
    piece = own_piece(status="in_review")
    app = browser(contributor)
    response = forged_post(app, piece, _transition="send_back", send_back_note="Forged")
    assert "You cannot do that with this piece now." in response.text
    piece.refresh_from_db()
    assert piece.status == Publication.Status.IN_REVIEW


def test_an_over_long_note_is_refused_with_a_message_and_the_piece_stays_in_review(
    browser, editor, own_piece
):
    piece = own_piece(status="in_review")
    form = browser(editor).get(change_url(piece)).forms["publication_form"]
    form["send_back_note"] = "x" * 2001
    response = form.submit("_transition", value="send_back")
    assert response.status_code == 200 and "at most 2000 characters" in response.text
    piece.refresh_from_db()
    assert piece.status == Publication.Status.IN_REVIEW
