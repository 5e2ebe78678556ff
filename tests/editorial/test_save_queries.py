"""One admin save of a full piece stays a handful of queries, whatever the number of authors and terms."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publications.models import Publication
from tests.editorial.admin_support import change_form
from tests.factories import PersonFactory, PublicationFactory, RegionFactory, TopicFactory

# The write path as production runs it: what a change purges is worked out once it commits.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purge_on_commit")]

# The budget for an admin save of a piece with 5 authors and 10 terms (it was 87), plus 5
# for the search: the piece's index row and its words' counts for "Did you mean" (constant).
MAX_QUERIES = 35


def piece_with(authors, topics, regions, tags):
    return PublicationFactory(
        authors=[PersonFactory() for _ in range(authors)],
        topics=[TopicFactory() for _ in range(topics)],
        regions=[RegionFactory() for _ in range(regions)],
        tags=[f"tag {n}" for n in range(tags)],
    )


@pytest.fixture
def full_piece():
    return piece_with(authors=5, topics=4, regions=3, tags=3)


@pytest.fixture
def app(django_app, editor):
    """A browser with the editor signed in (its first page logs them in; no save counts that)."""
    django_app.set_user(editor)
    return django_app


def save_counted(form):
    """Press the form's Save button; return the number of queries the save's request ran."""
    with CaptureQueriesContext(connection) as queries:
        response = form.submit("_save")
    assert response.status_code == 302, response.context and response.context["errors"]
    return len(queries)


def post_change(app, piece, **changes):
    """Open the change form, type ``changes`` and save it; return the number of queries the save ran."""
    form = change_form(app, piece)
    for name, value in changes.items():
        form[name] = value
    return save_counted(form)


def test_saving_a_title_change_on_a_piece_with_five_authors_and_ten_terms_is_at_most_35_queries(
    app, full_piece
):
    count = post_change(app, full_piece, title="A new title")
    assert Publication.objects.get(pk=full_piece.pk).title == "A new title"
    assert count <= MAX_QUERIES, count


def rework(app, piece):
    """Reverse the byline, replace the topics, keep one tag and add a new one; return the queries."""
    rows = piece.authorships.order_by("position")
    form = change_form(app, piece)
    for i in range(len(rows)):
        form[f"authorships-{i}-position"] = str(len(rows) - i)
    new_topic = str(TopicFactory().pk)
    # The topics box searches as you type and adds the topic picked as an option of the select:
    # a topic not yet on the piece has no <option> in the page, so it is forced in, as its script does.
    form["topics"].force_value([new_topic])
    form["tags"] = [str(piece.tags.order_by("name").first().pk)]  # unpick every tag but the first
    form["new_tags"] = f"new-{piece.pk}"
    count = save_counted(form)
    piece = Publication.objects.get(pk=piece.pk)
    assert [a.person_id for a in piece.authorships.order_by("position")] == [
        r.person_id for r in reversed(rows)
    ]
    assert [t.pk for t in piece.topics.all()] == [int(new_topic)]
    assert sorted(piece.tags.names()) == [f"new-{piece.pk}", "tag 0"]
    return count


def test_reworking_byline_and_terms_costs_the_same_queries_for_two_authors_as_for_five(app):
    small = rework(app, piece_with(authors=2, topics=1, regions=1, tags=2))
    large = rework(app, piece_with(authors=5, topics=4, regions=3, tags=3))
    assert small == large, (small, large)


def test_a_tag_name_sent_where_tag_ids_belong_is_a_form_error_not_a_crash(app, full_piece):
    form = change_form(app, full_piece)
    form["title"] = "Kept"
    form["tags"].force_value(["iran, israel"])  # no <option> has it: a name where an id belongs
    response = form.submit("_save")
    assert response.status_code == 200
    assert "is not a valid value" in response.text and 'value="Kept"' in response.text
    assert Publication.objects.get(pk=full_piece.pk).title != "Kept"


def test_the_history_page_reads_every_versions_byline_and_terms_at_once(app, full_piece):
    url = reverse("admin:publications_publication_history", args=[full_piece.pk])

    def history_queries():
        with CaptureQueriesContext(connection) as queries:
            assert app.get(url).status_code == 200
        return len(queries)

    post_change(app, full_piece, title="First change")
    few = history_queries()
    for n in range(4):
        post_change(app, full_piece, title=f"Change {n}")
    assert history_queries() == few
