"""The write path itself, called as the admin calls it: merging saves, restoring, recovering, workflow."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Version

from publications.models import Publication, Tag
from publications.services import (
    EditConflict,
    publication_archive,
    publication_publish,
    publication_recover,
    publication_restore,
    publication_save,
    publication_schedule,
    publication_state,
    publication_submit,
    publication_unpublish,
)
from tests.factories import PersonFactory, PublicationFactory, RegionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(make_user):
    """Return three editors, as three colleagues with the piece open at once."""
    return [make_user(name, "Editors") for name in ("edith", "eve", "emil")]


@pytest.fixture
def people():
    return PersonFactory.create_batch(4)


@pytest.fixture
def terms():
    return {
        "topics": TopicFactory.create_batch(3),
        "regions": RegionFactory.create_batch(2),
        "tags": [Tag.objects.create(name=f"Tag {i}", slug=f"tag-{i}") for i in range(3)],
    }


@pytest.fixture
def piece(editors, people, terms):
    """Return a draft with three authors, one topic, one region and two tags."""
    return PublicationFactory(
        title="Original title",
        summary="Original summary.",
        body="<p>Original body.</p>",
        status=Publication.Status.DRAFT,
        publish_at=None,
        created_by=editors[0],
        authors=people[:3],
        topics=terms["topics"][:1],
        regions=terms["regions"][:1],
        tags=terms["tags"][:2],
    )


def save(piece, user, base, **changes):
    """Save, as ``user``, the piece opened at ``base`` with ``changes`` typed into it."""
    return publication_save(publication=piece, user=user, state={**base, **changes}, base=base)


def stored(piece):
    return publication_state(Publication.objects.get(pk=piece.pk))


def ids(objects):
    return sorted(o.pk for o in objects)


def byline(*people_and_lines):
    return [[p.pk, line] for p, line in people_and_lines]


# Fields


def test_two_editors_changing_different_fields_both_keep_their_change(piece, editors):
    base = publication_state(piece)
    save(piece, editors[0], base, summary="Edith's summary.")
    save(piece, editors[1], base, title="Eve's title")
    now = stored(piece)
    assert now["summary"] == "Edith's summary." and now["title"] == "Eve's title"
    assert now["body"] == "<p>Original body.</p>"


def test_two_editors_changing_the_same_field_is_a_conflict_naming_it_and_nothing_is_written(piece, editors):
    base = publication_state(piece)
    save(piece, editors[0], base, title="Edith's title")
    versions = Version.objects.get_for_object(piece).count()
    with pytest.raises(EditConflict) as raised:
        save(piece, editors[1], base, title="Eve's title", summary="Eve's summary.")
    assert raised.value.keys == ["title"]
    conflict = raised.value.conflicts[0]
    assert (conflict.base, conflict.yours, conflict.theirs) == (
        "Original title",
        "Eve's title",
        "Edith's title",
    )
    now = stored(piece)
    assert now["title"] == "Edith's title"
    assert now["summary"] == "Original summary."  # not even Eve's other, unconflicted change
    assert Version.objects.get_for_object(piece).count() == versions


def test_both_editors_typing_the_same_value_is_not_a_conflict(piece, editors):
    base = publication_state(piece)
    save(piece, editors[0], base, title="Agreed title")
    save(piece, editors[1], base, title="Agreed title", summary="Eve's summary.")
    now = stored(piece)
    assert now["title"] == "Agreed title" and now["summary"] == "Eve's summary."


def test_a_body_the_rich_text_editor_only_reformatted_is_not_a_change(piece, editors):
    piece = save(piece, editors[0], publication_state(piece), body="<p>One.</p>\n<p>Two.</p>")
    base = publication_state(piece)
    save(piece, editors[0], base, body="<p>One, rewritten.</p>\n<p>Two.</p>")
    save(piece, editors[1], base, body="<p>One.</p><p>Two.</p>", title="Eve's title")  # untouched
    now = stored(piece)
    assert now["body"] == "<p>One, rewritten.</p>\n<p>Two.</p>" and now["title"] == "Eve's title"


@pytest.mark.parametrize(("choice", "title"), [("mine", "Eve's title"), ("theirs", "Edith's title")])
def test_choosing_yours_or_theirs_for_a_conflict_writes_that_choice_and_the_rest(
    piece, editors, choice, title
):
    base = publication_state(piece)
    save(piece, editors[0], base, title="Edith's title")
    with pytest.raises(EditConflict) as raised:
        save(piece, editors[1], base, title="Eve's title", summary="Eve's summary.")
    shown = raised.value.conflicts[0]
    publication_save(
        publication=piece,
        user=editors[1],
        state={**base, "title": "Eve's title", "summary": "Eve's summary."},
        base=base,
        resolutions={"title": (choice, shown.theirs_digest)},
    )
    now = stored(piece)
    assert now["title"] == title and now["summary"] == "Eve's summary."


def test_a_choice_made_before_a_third_editor_saved_the_field_again_is_a_conflict_again(piece, editors):
    edith, eve, emil = editors
    base = publication_state(piece)
    save(piece, edith, base, title="Edith's title")
    with pytest.raises(EditConflict) as raised:
        save(piece, eve, base, title="Eve's title")
    shown = raised.value.conflicts[0]
    save(piece, emil, publication_state(Publication.objects.get(pk=piece.pk)), title="Emil's title")
    with pytest.raises(EditConflict) as again:
        publication_save(
            publication=piece,
            user=eve,
            state={**base, "title": "Eve's title"},
            base=base,
            resolutions={"title": ("mine", shown.theirs_digest)},
        )
    assert again.value.keys == ["title"]
    assert again.value.conflicts[0].theirs == "Emil's title"  # what Eve is shown now
    assert stored(piece)["title"] == "Emil's title"


def test_a_choice_other_than_yours_or_theirs_resolves_nothing(piece, editors):
    base = publication_state(piece)
    save(piece, editors[0], base, title="Edith's title")
    with pytest.raises(EditConflict) as raised:
        save(piece, editors[1], base, title="Eve's title")
    digest = raised.value.conflicts[0].theirs_digest
    with pytest.raises(EditConflict):
        publication_save(
            publication=piece,
            user=editors[1],
            state={**base, "title": "Eve's title"},
            base=base,
            resolutions={"title": ("both", digest)},
        )
    assert stored(piece)["title"] == "Edith's title"


# Authors


@pytest.mark.parametrize("adder_first", [True, False], ids=["adder first", "remover first"])
def test_one_editor_adding_an_author_and_another_removing_one_keeps_both_changes(
    piece, editors, people, adder_first
):
    first, second, third, fourth = people
    base = publication_state(piece)
    adding = {"authors": [*base["authors"], [fourth.pk, ""]]}
    removing = {"authors": [a for a in base["authors"] if a[0] != second.pk]}
    edits = [(editors[0], adding), (editors[1], removing)]
    for user, changes in edits if adder_first else reversed(edits):
        save(piece, user, base, **changes)
    assert stored(piece)["authors"] == byline((first, ""), (third, ""), (fourth, ""))


def test_one_editor_reordering_the_byline_and_another_editing_a_bio_line_keeps_both(piece, editors, people):
    first, second, third, _fourth = people
    base = publication_state(piece)
    save(piece, editors[0], base, authors=byline((third, ""), (first, ""), (second, "")))
    save(piece, editors[1], base, authors=byline((first, "First is our expert."), (second, ""), (third, "")))
    assert stored(piece)["authors"] == byline((third, ""), (first, "First is our expert."), (second, ""))
    assert list(Publication.objects.get(pk=piece.pk).authors.order_by("authorships__position")) == [
        third,
        first,
        second,
    ]


def test_two_editors_reordering_the_byline_differently_is_a_conflict(piece, editors, people):
    first, second, third, _fourth = people
    base = publication_state(piece)
    save(piece, editors[0], base, authors=byline((third, ""), (first, ""), (second, "")))
    with pytest.raises(EditConflict) as raised:
        save(piece, editors[1], base, authors=byline((second, ""), (first, ""), (third, "")))
    assert raised.value.keys == ["authors"]
    assert stored(piece)["authors"] == byline((third, ""), (first, ""), (second, ""))


def test_two_editors_writing_the_same_bio_line_differently_is_a_conflict(piece, editors, people):
    first, second, third, _fourth = people
    base = publication_state(piece)
    save(piece, editors[0], base, authors=byline((first, "Edith's line."), (second, ""), (third, "")))
    with pytest.raises(EditConflict) as raised:
        save(piece, editors[1], base, authors=byline((first, "Eve's line."), (second, ""), (third, "")))
    assert raised.value.keys == ["authors"]


# Terms


def test_topics_regions_and_tags_changed_by_two_editors_merge_as_sets(piece, editors, terms):
    topics, regions, tags = terms["topics"], terms["regions"], terms["tags"]
    base = publication_state(piece)
    save(piece, editors[0], base, topics=ids(topics[:2]), regions=ids(regions), tags=ids(tags[:1]))
    save(piece, editors[1], base, topics=ids([topics[0], topics[2]]), regions=[], tags=ids(tags))
    now = stored(piece)
    assert now["topics"] == ids(topics)  # both added one
    assert now["regions"] == ids(regions[1:])  # Edith added one, Eve removed the other
    assert now["tags"] == ids([tags[0], tags[2]])  # Edith removed one, Eve added another
    piece = Publication.objects.get(pk=piece.pk)
    assert sorted(piece.tags.names()) == ["Tag 0", "Tag 2"]


# Three editors, every order


THREE_EDITS = {
    "title": lambda base, people, terms: {"title": "Edith's title"},
    "byline": lambda base, people, terms: {"authors": [*base["authors"], [people[3].pk, ""]]},
    "terms and summary": lambda base, people, terms: {
        "topics": sorted([*base["topics"], terms["topics"][1].pk]),
        "summary": "Emil's summary.",
    },
}


@pytest.mark.parametrize(
    "order", list(itertools.permutations(THREE_EDITS)), ids=lambda order: " then ".join(order)
)
def test_three_editors_saving_from_the_same_copy_in_any_order_keep_all_three_changes(
    piece, editors, people, terms, order
):
    base = publication_state(piece)
    for user, name in zip(editors, order, strict=True):
        save(piece, user, base, **THREE_EDITS[name](base, people, terms))
    assert stored(piece) == {
        **base,
        "title": "Edith's title",
        "summary": "Emil's summary.",
        "authors": [*base["authors"], [people[3].pk, ""]],
        "topics": ids(terms["topics"][:2]),
    }


# Restoring


@pytest.fixture
def live_piece(piece, editors, people, terms):
    """Return (piece, its draft-time version): the piece since rewritten, retagged and published."""
    edith = editors[0]
    save(piece, edith, publication_state(piece))  # the draft as first saved: its first version
    draft_version = Version.objects.get_for_object(piece).get()
    save(
        piece,
        edith,
        publication_state(piece),
        title="Rewritten title",
        summary="Rewritten summary.",
        body="<p>Rewritten body.</p>",
        authors=[[people[3].pk, ""]],
        topics=ids(terms["topics"][1:]),
        regions=[],
        tags=ids(terms["tags"][2:]),
    )
    return publication_publish(publication=piece, user=edith), draft_version


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


def test_a_contributor_cannot_save_a_piece_they_may_not_edit(piece, contributor):
    base = publication_state(piece)
    with pytest.raises(PermissionDenied):
        save(piece, contributor, base, title="Hijacked")
    assert stored(piece)["title"] == "Original title"


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


# Workflow


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
