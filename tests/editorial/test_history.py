"""Nothing an editor saved is ever lost: versions, diffs, restore, recovery, stale saves."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from publications import services
from publications.models import Publication
from tests.factories import PersonFactory, PublicationFactory, TopicFactory, staff_editor
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def change_url(piece):
    return reverse("admin:publications_publication_change", args=[piece.pk])


def save_via_admin(client, piece, **changes):
    page = client.get(change_url(piece))
    response = client.post(change_url(piece), form_data(page.text, **changes))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return response


@pytest.fixture
def piece(as_user, editor, piece_form):
    client = as_user(editor)
    assert (
        client.post(reverse("admin:publications_publication_add"), piece_form(new_tags="drones")).status_code
        == 302
    )
    return Publication.objects.get(slug="a-new-analysis")


def test_every_save_keeps_a_version_with_who_when_and_a_diff(as_user, editor, piece):
    client = as_user(editor)
    save_via_admin(client, piece, title="A sharper title", new_tags="Hezbollah")
    assert Version.objects.get_for_object(piece).count() == 2
    history = client.get(reverse("admin:publications_publication_history", args=[piece.pk])).text
    assert "Edith Editor" in history
    assert "<del>new analysis</del>" in history and "<ins>sharper title</ins>" in history
    assert "Hezbollah" in history  # the tag added, shown as a related change


def test_any_version_can_be_restored_with_its_tags(as_user, editor, piece):
    client = as_user(editor)
    first = Version.objects.get_for_object(piece).get()
    save_via_admin(client, piece, title="Second title", body="<p>Rewritten.</p>", new_tags="Hezbollah")
    url = reverse("admin:publications_publication_revision", args=[piece.pk, first.pk])
    page = client.get(url)
    assert page.status_code == 200 and "A new analysis" in page.text
    assert client.post(url, form_data(page.text)).status_code == 302
    piece.refresh_from_db()
    assert piece.title == "A new analysis" and "bold" in piece.body
    assert sorted(piece.tags.names()) == ["drones"]
    assert Version.objects.get_for_object(piece).count() == 3  # the restore is itself a version


def test_a_deleted_piece_can_be_recovered(as_user, editor, piece):
    client = as_user(editor)
    save_via_admin(client, piece, title="Worth keeping")
    client.post(reverse("admin:publications_publication_delete", args=[piece.pk]), {"post": "yes"})
    assert not Publication.objects.filter(pk=piece.pk).exists()
    recover_list = client.get(reverse("admin:publications_publication_recoverlist")).text
    assert "Worth keeping" in recover_list
    version = Version.objects.get_deleted(Publication).get()
    url = reverse("admin:publications_publication_recover", args=[version.pk])
    assert client.post(url, form_data(client.get(url).text)).status_code == 302
    recovered = Publication.objects.get(pk=piece.pk)
    assert recovered.title == "Worth keeping"
    assert recovered.authorships.count() == 1 and list(recovered.tags.names()) == ["drones"]


def test_saves_from_the_same_copy_merge_field_by_field(as_user, editor, make_user, piece):
    second_editor = make_user("eve", "Editors", first_name="Eve", last_name="Second")
    first_client = as_user(editor)
    stale_page = first_client.get(change_url(piece)).text  # editor 1 opens the piece

    from django.test import Client

    other = Client()
    other.force_login(second_editor)
    save_via_admin(other, piece, summary="Eve's new dek")  # editor 2 changes the summary first

    response = first_client.post(change_url(piece), form_data(stale_page, title="Edith's title"))
    assert response.status_code == 302  # a different field: no conflict
    piece.refresh_from_db()
    assert piece.title == "Edith's title" and piece.summary == "Eve's new dek"


def test_the_same_field_changed_twice_is_a_choice_and_nothing_is_lost(as_user, editor, make_user, piece):
    second_editor = make_user("eve", "Editors", first_name="Eve", last_name="Second")
    first_client = as_user(editor)
    stale_page = first_client.get(change_url(piece)).text

    from django.test import Client

    other = Client()
    other.force_login(second_editor)
    save_via_admin(other, piece, title="Eve's title", summary="Eve's dek")

    response = first_client.post(
        change_url(piece), form_data(stale_page, title="Edith's title", body="<p>New.</p>")
    )
    assert response.status_code == 200
    assert "Someone else changed this piece after you opened it" in response.text
    assert "Eve Second saved it" in response.text
    assert "Theirs (saved)" in response.text and "Yours (in the form)" in response.text
    assert 'name="resolve-title"' in response.text and 'name="resolve-summary"' not in response.text
    assert "Edith&#x27;s title" in response.text  # her text is still in the form
    piece.refresh_from_db()
    assert piece.title == "Eve's title" and "bold" in piece.body  # nothing saved yet

    # Saving again without choosing is refused again; choosing "mine" keeps hers, and only that.
    assert first_client.post(change_url(piece), form_data(response.text)).status_code == 200
    again = first_client.post(change_url(piece), form_data(response.text, **{"resolve-title": "mine"}))
    assert again.status_code == 302
    piece.refresh_from_db()
    assert piece.title == "Edith's title" and piece.summary == "Eve's dek" and piece.body == "<p>New.</p>"


def test_people_and_fellowships_keep_versions_too(as_user, administrator):
    from people.models import Fellowship, Person
    from tests.factories import FellowshipFactory, PersonFactory

    client = as_user(administrator)
    for obj, field, value in (
        (PersonFactory(job_title="Fellow"), "job_title", "Senior Fellow"),
        (FellowshipFactory(donor="A Donor"), "donor", "The Weiner family"),
    ):
        url = reverse(f"admin:people_{obj._meta.model_name}_change", args=[obj.pk])
        for new in ("Interim", value):
            page = client.get(url).text
            assert client.post(url, form_data(page, **{field: new})).status_code == 302
        history = client.get(reverse(f"admin:people_{obj._meta.model_name}_history", args=[obj.pk])).text
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
