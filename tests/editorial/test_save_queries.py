"""One admin save of a full piece stays a handful of queries, whatever the number of authors and terms."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publications.models import Publication
from tests.factories import PersonFactory, PublicationFactory, RegionFactory, TopicFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

# The budget for an admin save of a piece with 5 authors and 10 terms (it was 87).
MAX_QUERIES = 30


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


def post_change(client, piece, **changes):
    """POST the change form as opened, with ``changes``; return the number of queries it ran."""
    url = reverse("admin:publications_publication_change", args=[piece.pk])
    data = form_data(client.get(url).text, **changes)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return len(queries)


def test_saving_a_title_change_on_a_piece_with_five_authors_and_ten_terms_is_at_most_30_queries(
    as_user, editor, full_piece
):
    count = post_change(as_user(editor), full_piece, title="A new title")
    assert Publication.objects.get(pk=full_piece.pk).title == "A new title"
    assert count <= MAX_QUERIES, count


def rework(client, piece):
    """Reverse the byline, replace the topics, keep one tag and add a new one; return the queries."""
    rows = piece.authorships.order_by("position")
    changes = {f"authorships-{i}-position": str(len(rows) - i) for i in range(len(rows))}
    changes["topics"] = [str(TopicFactory().pk)]
    changes["tags"] = [str(piece.tags.order_by("name").first().pk)]
    changes["new_tags"] = f"new-{piece.pk}"
    count = post_change(client, piece, **changes)
    piece = Publication.objects.get(pk=piece.pk)
    assert [a.person_id for a in piece.authorships.order_by("position")] == [
        r.person_id for r in reversed(rows)
    ]
    assert [t.pk for t in piece.topics.all()] == [int(changes["topics"][0])]
    assert sorted(piece.tags.names()) == [f"new-{piece.pk}", "tag 0"]
    return count


def test_reworking_byline_and_terms_costs_the_same_queries_for_two_authors_as_for_five(as_user, editor):
    client = as_user(editor)
    small = rework(client, piece_with(authors=2, topics=1, regions=1, tags=2))
    large = rework(client, piece_with(authors=5, topics=4, regions=3, tags=3))
    assert small == large, (small, large)


def test_a_tag_name_sent_where_tag_ids_belong_is_a_form_error_not_a_crash(as_user, editor, full_piece):
    client = as_user(editor)
    url = reverse("admin:publications_publication_change", args=[full_piece.pk])
    response = client.post(url, form_data(client.get(url).text, tags="iran, israel", title="Kept"))
    assert response.status_code == 200
    assert "is not a valid value" in response.text and 'value="Kept"' in response.text
    assert Publication.objects.get(pk=full_piece.pk).title != "Kept"


def test_the_history_page_reads_every_versions_byline_and_terms_at_once(as_user, editor, full_piece):
    client = as_user(editor)
    url = reverse("admin:publications_publication_history", args=[full_piece.pk])

    def history_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    post_change(client, full_piece, title="First change")
    few = history_queries()
    for n in range(4):
        post_change(client, full_piece, title=f"Change {n}")
    assert history_queries() == few
