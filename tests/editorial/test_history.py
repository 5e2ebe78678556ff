"""Nothing an editor saved is ever lost: versions, diffs, restore, recovery, stale saves."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from publications import services
from publications.models import Publication
from tests.editorial.admin_support import change_form
from tests.factories import PersonFactory, PublicationFactory, TopicFactory, staff_editor

pytestmark = pytest.mark.django_db


def save(form, **changes):
    """Type ``changes`` into an open form and press its Save button."""
    for name, value in changes.items():
        form[name] = value
    return form.submit("_save")


def save_via_admin(app, piece, **changes):
    response = save(change_form(app, piece, **changes))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return response


def page_form(page, button):
    """Return the page's one form with ``button`` (the restore and recover forms have no id)."""
    (form,) = [form for key, form in page.forms.items() if isinstance(key, int) and button in form.fields]
    return form


@pytest.fixture
def piece(as_user, editor, piece_form):
    client = as_user(editor)
    assert (
        client.post(reverse("admin:publications_publication_add"), piece_form(new_tags="drones")).status_code
        == 302
    )
    return Publication.objects.get(slug="a-new-analysis")


def test_every_save_keeps_a_version_with_who_when_and_a_diff(browser, editor, piece):
    app = browser(editor)
    save_via_admin(app, piece, title="A sharper title", new_tags="Hezbollah")
    assert Version.objects.get_for_object(piece).count() == 2
    history = app.get(reverse("admin:publications_publication_history", args=[piece.pk])).text
    assert "Edith Editor" in history
    assert "<del>new analysis</del>" in history and "<ins>sharper title</ins>" in history
    assert "Hezbollah" in history  # the tag added, shown as a related change


def test_any_version_can_be_restored_with_its_tags(browser, editor, piece):
    app = browser(editor)
    first = Version.objects.get_for_object(piece).get()
    save_via_admin(app, piece, title="Second title", body="<p>Rewritten.</p>", new_tags="Hezbollah")
    url = reverse("admin:publications_publication_revision", args=[piece.pk, first.pk])
    page = app.get(url)
    assert page.status_code == 200 and "A new analysis" in page.text
    assert page_form(page, "_restore").submit("_restore").status_code == 302
    piece.refresh_from_db()
    assert piece.title == "A new analysis" and "bold" in piece.body
    assert sorted(piece.tags.names()) == ["drones"]
    assert Version.objects.get_for_object(piece).count() == 3  # the restore is itself a version


def test_a_deleted_piece_can_be_recovered(browser, editor, piece):
    app = browser(editor)
    save_via_admin(app, piece, title="Worth keeping")
    confirm = app.get(reverse("admin:publications_publication_delete", args=[piece.pk]))
    page_form(confirm, "post").submit()  # "Yes, I'm sure"
    assert not Publication.objects.filter(pk=piece.pk).exists()
    recover_list = app.get(reverse("admin:publications_publication_recoverlist")).text
    assert "Worth keeping" in recover_list
    version = Version.objects.get_deleted(Publication).get()
    url = reverse("admin:publications_publication_recover", args=[version.pk])
    assert page_form(app.get(url), "_restore").submit("_restore").status_code == 302
    recovered = Publication.objects.get(pk=piece.pk)
    assert recovered.title == "Worth keeping"
    assert recovered.authorships.count() == 1 and list(recovered.tags.names()) == ["drones"]


def test_saves_from_the_same_copy_merge_field_by_field(browser, editor, make_user, piece):
    second_editor = make_user("eve", "Editors", first_name="Eve", last_name="Second")
    stale_form = change_form(browser(editor), piece)  # editor 1 opens the piece

    other = browser(second_editor)
    save_via_admin(other, piece, summary="Eve's new dek")  # editor 2 changes the summary first

    response = save(stale_form, title="Edith's title")
    assert response.status_code == 302  # a different field: no conflict
    piece.refresh_from_db()
    assert piece.title == "Edith's title" and piece.summary == "Eve's new dek"


def test_the_same_field_changed_twice_is_a_choice_and_nothing_is_lost(browser, editor, make_user, piece):
    second_editor = make_user("eve", "Editors", first_name="Eve", last_name="Second")
    stale_form = change_form(browser(editor), piece)

    other = browser(second_editor)
    save_via_admin(other, piece, title="Eve's title", summary="Eve's dek")

    response = save(stale_form, title="Edith's title", body="<p>New.</p>")
    assert response.status_code == 200
    assert "Someone else changed this piece after you opened it" in response.text
    assert "Eve Second saved it" in response.text
    assert "Theirs (saved)" in response.text and "Yours (in the form)" in response.text
    assert 'name="resolve-title"' in response.text and 'name="resolve-summary"' not in response.text
    assert "Edith&#x27;s title" in response.text  # her text is still in the form
    piece.refresh_from_db()
    assert piece.title == "Eve's title" and "bold" in piece.body  # nothing saved yet

    # Saving again without choosing is refused again; choosing "mine" keeps hers, and only that.
    # (A browser would not send the form with its required choice unmade; the server refuses it too.)
    conflict_form = response.forms["publication_form"]
    assert save(conflict_form).status_code == 200
    again = save(conflict_form, **{"resolve-title": "mine"})
    assert again.status_code == 302
    piece.refresh_from_db()
    assert piece.title == "Edith's title" and piece.summary == "Eve's dek" and piece.body == "<p>New.</p>"


def test_people_and_fellowships_keep_versions_too(browser, administrator):
    from people.models import Fellowship, Person
    from tests.factories import FellowshipFactory, PersonFactory

    app = browser(administrator)
    for obj, field, value in (
        (PersonFactory(job_title="Fellow"), "job_title", "Senior Fellow"),
        (FellowshipFactory(donor="A Donor"), "donor", "The Weiner family"),
    ):
        url = reverse(f"admin:people_{obj._meta.model_name}_change", args=[obj.pk])
        for new in ("Interim", value):
            form = app.get(url).forms[f"{obj._meta.model_name}_form"]
            assert save(form, **{field: new}).status_code == 302
        history = app.get(reverse(f"admin:people_{obj._meta.model_name}_history", args=[obj.pk])).text
        assert f"<ins>{value.split()[0]}" in history or f"<ins>{value}" in history
        assert Version.objects.get_for_object(obj).count() == 2
    assert Person.objects.get().job_title == "Senior Fellow"
    assert Fellowship.objects.get().donor == "The Weiner family"


def test_a_version_kept_before_version_contents_still_gives_its_byline_and_terms():
    """Versions written before a version kept its byline and terms in one row hold them as
    versions of their own rows: they still read, and restore, with their authors and terms."""
    author, topic = PersonFactory(name="Old Byline"), TopicFactory(name="Old Topic")
    piece = PublicationFactory(authors=[author], topics=[topic], tags=["old-tag"])
    with reversion.create_revision(manage_manually=True):  # as the old registration followed them
        for row in (piece, *piece.authorships.all(), *piece.tagged_topics.all(), *piece.tagged_tags.all()):
            reversion.add_to_revision(row)
    old = services.history.versions_of(piece).first()
    state = services.version_state(old)
    assert state["authors"] == [[author.pk, piece.authorships.get().bio_line]]
    assert state["topics"] == [topic.pk] and state["tags"] == [piece.tags.get().pk]
    piece.authorships.all().delete()
    piece.topics.clear()
    services.publication_restore(publication=piece, version=old, user=staff_editor())
    assert list(piece.authorships.values_list("person__name", flat=True)) == ["Old Byline"]
    assert list(piece.topics.values_list("name", flat=True)) == ["Old Topic"]
