"""Saves from copies opened at the same time, called as the admin calls them: merged field by field.

A field both editors changed is a conflict naming it, and nothing is written until a choice is made.
"""

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from reversion.models import Version

from publications.models import Publication
from publications.services import EditConflict, publication_save, publication_state
from tests.editorial.services_support import ids, save

pytestmark = pytest.mark.django_db


def stored(piece):
    return publication_state(Publication.objects.get(pk=piece.pk))


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


# Who may save


def test_a_contributor_cannot_save_a_piece_they_may_not_edit(piece, contributor):
    base = publication_state(piece)
    with pytest.raises(PermissionDenied):
        save(piece, contributor, base, title="Hijacked")
    assert stored(piece)["title"] == "Original title"
