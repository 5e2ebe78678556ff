"""Each role against each action, through the admin's own views (forged requests included)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from webtest.forms import Submit

from people.models import Fellowship, Person
from publications.models import Publication, PublicationType, Topic
from tests.editorial.admin_support import change_form, change_url
from tests.factories import PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:publications_publication_changelist")
ADD = reverse("admin:publications_publication_add")


def buttons(form, name):
    return [field.value_if_submitted() for field in form.fields.get(name, []) if isinstance(field, Submit)]


def edit_post(app, piece, button="_save", value=None, **changes):
    """Open the change form, type ``changes`` and press a button the form has (``_save``, or the
    ``_transition`` button with ``value``)."""
    form = change_form(app, piece, **changes)
    shown = buttons(form, button)
    assert shown and (value is None or value in shown), (button, value, shown)
    return form.submit(button, value=value)


def forged_post(app, piece, **forged):
    """POST what the change form sends, but with ``forged`` in place of what it has or in addition:
    a button it does not show, a field it leaves out. The rest (CSRF token included) is the form's."""
    form = change_form(app, piece)
    fields = [(name, value) for name, value in form.submit_fields() if name not in forged]
    return app.post(change_url(piece), [*fields, *forged.items()], expect_errors=True)


def action(client, name, pieces):
    return client.post(CHANGELIST, {"action": name, "_selected_action": [p.pk for p in pieces]})


# Contributors


def test_contributor_creates_a_draft_they_own(as_user, contributor, piece_form):
    response = as_user(contributor).post(ADD, piece_form())
    assert response.status_code == 302
    piece = Publication.objects.get(slug="a-new-analysis")
    assert piece.created_by == contributor and piece.status == "draft"


def test_contributor_edits_their_own_draft_and_piece_in_review(browser, contributor, own_piece):
    app = browser(contributor)
    for status in ("draft", "in_review"):
        piece = own_piece(status=status)
        response = edit_post(app, piece, title="Edited title")
        assert response.status_code == 302, status
        assert Publication.objects.get(pk=piece.pk).title == "Edited title"


def test_contributor_submits_their_draft_for_review(as_user, contributor, own_piece):
    piece = own_piece()
    action(as_user(contributor), "submit_for_review", [piece])
    assert Publication.objects.get(pk=piece.pk).status == "in_review"


def test_contributor_sees_only_submit_and_cannot_publish_by_a_forged_button(browser, contributor, own_piece):
    piece = own_piece()
    app = browser(contributor)
    page = app.get(change_url(piece)).text
    assert 'value="submit"' in page and 'value="publish"' not in page and 'value="schedule"' not in page
    response = forged_post(app, piece, _transition="publish", status="published")
    assert response.status_code == 200
    assert "You cannot do that with this piece now." in response.text
    piece.refresh_from_db()
    assert piece.status == "draft" and piece.publish_at is None


def test_contributor_cannot_schedule_a_publish_time(browser, contributor, own_piece):
    piece = own_piece(status="in_review")
    forged_post(browser(contributor), piece, _transition="schedule", schedule_at="2099-01-01T09:00")
    piece.refresh_from_db()
    assert piece.publish_at is None and piece.status == "in_review"


def test_contributor_submits_from_the_form_with_their_changes(browser, contributor, own_piece):
    piece = own_piece()
    response = edit_post(browser(contributor), piece, "_transition", "submit", title="Ready for review")
    assert response.status_code == 302
    piece.refresh_from_db()
    assert piece.status == "in_review" and piece.title == "Ready for review"


@pytest.mark.parametrize("name", ["publish", "unpublish", "archive"])
def test_contributor_cannot_run_an_editors_action_even_by_a_forged_post(
    as_user, contributor, own_piece, name
):
    piece = own_piece(status="in_review")
    response = action(as_user(contributor), name, [piece])
    assert response.status_code in (200, 302)
    assert Publication.objects.get(pk=piece.pk).status == "in_review"


def test_contributor_cannot_edit_their_piece_once_published(as_user, contributor, own_piece, piece_form):
    piece = own_piece(status="published", publish_at=timezone.now() - datetime.timedelta(days=1))
    client = as_user(contributor)
    page = client.get(change_url(piece))
    assert page.status_code == 200 and 'name="title"' not in page.text  # read-only view
    response = client.post(change_url(piece), piece_form(title="Rewritten"))
    assert response.status_code == 403
    assert Publication.objects.get(pk=piece.pk).title != "Rewritten"


def test_contributor_cannot_see_or_touch_others_pieces(as_user, contributor, make_user, piece_form):
    other = PublicationFactory(created_by=make_user("otto", "Contributors"), status="draft", publish_at=None)
    client = as_user(contributor)
    assert other.title not in client.get(CHANGELIST).text
    assert client.get(change_url(other)).status_code == 302  # "doesn't exist" redirect
    client.post(change_url(other), piece_form(title="Hijacked"))
    action(client, "submit_for_review", [other])
    other.refresh_from_db()
    assert other.title != "Hijacked" and other.status == "draft"


def test_contributor_cannot_delete_pieces(as_user, contributor, own_piece):
    piece = own_piece()
    response = as_user(contributor).post(
        reverse("admin:publications_publication_delete", args=[piece.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Publication.objects.filter(pk=piece.pk).exists()


# Editors


def test_editor_edits_any_piece(browser, editor, own_piece):
    piece = own_piece(status="in_review")
    response = edit_post(browser(editor), piece, title="Copy-edited")
    assert response.status_code == 302
    assert Publication.objects.get(pk=piece.pk).title == "Copy-edited"


def test_editor_publishes_and_schedules_with_the_forms_buttons(browser, editor, own_piece):
    app = browser(editor)
    now_piece, later_piece = own_piece(status="in_review"), own_piece(status="in_review")
    assert edit_post(app, now_piece, "_transition", "publish").status_code == 302
    response = edit_post(app, later_piece, "_transition", "schedule", schedule_at="2099-03-01T09:00")
    assert response.status_code == 302
    now_piece.refresh_from_db()
    later_piece.refresh_from_db()
    assert now_piece.is_public
    assert later_piece.is_scheduled and not later_piece.is_public
    assert timezone.localtime(later_piece.publish_at).strftime("%Y-%m-%d %H:%M") == "2099-03-01 09:00"
    page = app.get(change_url(later_piece)).text
    assert "Scheduled for 1 March 2099, 09:00" in page
    assert 'value="unpublish"' in page and 'value="publish"' in page  # publish now, ahead of time
    assert "Scheduled" in app.get(CHANGELIST).text


def test_scheduling_in_the_past_is_a_form_error_and_keeps_the_text(browser, editor, own_piece):
    piece = own_piece(status="in_review")
    response = edit_post(
        browser(editor), piece, "_transition", "schedule", schedule_at="2001-03-01T09:00", title="Kept"
    )
    assert response.status_code == 200
    assert "This time has passed" in response.text and 'value="Kept"' in response.text
    piece.refresh_from_db()
    assert piece.status == "in_review" and piece.title != "Kept"


def test_editor_publishes_unpublishes_and_archives_with_bulk_actions(as_user, editor, own_piece):
    client = as_user(editor)
    piece = own_piece(status="in_review")
    action(client, "publish", [piece])
    piece.refresh_from_db()
    assert piece.is_public
    action(client, "unpublish", [piece])
    assert Publication.objects.get(pk=piece.pk).status == "draft"
    action(client, "archive", [piece])
    assert Publication.objects.get(pk=piece.pk).status == "archived"


def test_unpublishing_takes_a_piece_off_the_site_at_once(as_user, editor, client):
    piece = PublicationFactory()
    assert client.get(piece.get_absolute_url()).status_code == 200
    action(as_user(editor), "unpublish", [piece])
    client.logout()
    assert client.get(piece.get_absolute_url()).status_code == 404
    assert piece.title not in client.get("/feeds/rss/").text


def test_editor_deletes_a_piece(as_user, editor):
    piece = PublicationFactory()
    as_user(editor).post(reverse("admin:publications_publication_delete", args=[piece.pk]), {"post": "yes"})
    assert not Publication.objects.filter(pk=piece.pk).exists()


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (Person, {"name": "New Person", "sort_name": "Person, New", "slug": "new-person"}),
        (Fellowship, {"name": "New Fellowship", "slug": "new-fellowship", "holder_title": "New Fellow"}),
        (Topic, {"name": "New Topic", "slug": "new-topic"}),
        (PublicationType, {"name": "New Type", "slug": "new-type", "position": "9"}),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else "",
)
def test_only_administrators_manage_people_fellowships_and_taxonomy(
    as_user, contributor, editor, administrator, model, data
):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    inline = {
        "appointments-TOTAL_FORMS": "0",
        "appointments-INITIAL_FORMS": "0",
    }
    for user in (contributor, editor):
        assert as_user(user).post(url, {**data, **inline}).status_code == 403
        assert not model.objects.filter(slug=data["slug"]).exists()
    response = as_user(administrator).post(url, {**data, **inline})
    assert response.status_code == 302
    assert model.objects.filter(slug=data["slug"]).exists()


def test_contributors_and_editors_can_still_pick_people_as_authors(as_user, contributor, editor):
    PersonFactory(name="Anna Borshchevskaya")
    for user in (contributor, editor):
        response = as_user(user).get(
            reverse("admin:autocomplete"),
            {"term": "anna", "app_label": "publications", "model_name": "authorship", "field_name": "person"},
        )
        assert [r["text"] for r in response.json()["results"]] == ["Anna Borshchevskaya"]


def test_the_authors_inline_suggests_the_bio_line_for_the_publish_date(as_user, contributor):
    from tests.factories import AppointmentFactory, FellowshipFactory

    person = PersonFactory(name="Anna Example", job_title="")
    AppointmentFactory(
        person=person,
        fellowship=FellowshipFactory(holder_title="Ira Weiner Fellow"),
        start=datetime.date(2015, 1, 1),
        end=datetime.date(2019, 12, 31),
    )
    url = reverse("admin:publications_publication_bio_line")
    client = as_user(contributor)
    response = client.get(url, {"person": person.pk, "date": "2015-11-30"})
    expected = "Anna Example is an Ira Weiner Fellow at The Washington Institute."
    assert response.json() == {"bio_line": expected}
    assert client.get(url, {"person": person.pk, "date": "2021-01-01"}).json() == {"bio_line": ""}
    assert client.get(url, {"person": "x"}).status_code == 404
    assert client.get(url, {"person": "9" * 40}).status_code == 404
    assert client.get(url, {"person": person.pk, "date": "2024-02-30"}).json() == {"bio_line": ""}


def test_administrators_publish_like_editors(as_user, administrator, own_piece):
    piece = own_piece(status="in_review")
    action(as_user(administrator), "publish", [piece])
    assert Publication.objects.get(pk=piece.pk).is_public


def test_saving_a_new_piece_spends_its_autosaved_copy(as_user, contributor, piece_form):
    client = as_user(contributor)
    url = reverse("admin:publications_publication_autosave_new")
    assert client.post(url, {"fields": '{"title": "A new analysis"}'}).status_code == 200
    assert 'id="autosave-offer"' in client.get(ADD).text
    assert client.post(ADD, piece_form()).status_code == 302
    assert 'id="autosave-offer"' not in client.get(ADD).text  # no offer to create it twice


def test_the_schedule_picker_comes_only_with_the_schedule_button(as_user, editor, own_piece):
    client = as_user(editor)
    draft = client.get(change_url(own_piece())).text
    assert 'name="schedule_at"' in draft and 'value="schedule"' in draft
    live = client.get(change_url(PublicationFactory())).text
    assert 'name="schedule_at"' not in live and 'value="unpublish"' in live
