"""Query counts stay constant whatever the number of pieces, authors and tags."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

# The most queries each page may make; a new N+1 breaks these at once.
BOUNDS = {
    "home": 5,
    "listing": 6,
    "filtered": 7,
    "search": 6,
    "detail": 10,  # + the authors' fellowships (bio-line links), + "More from" candidates
    "expert": 6,  # + the topics and regions named like the expert's areas of expertise
    "experts": 2,
    "fellowship": 2,
    "topic": 4,
    "rss": 5,
    "atom": 5,
}


def urls_for(pieces):
    piece = pieces[0]
    fellowship = piece.authors.first().appointments.first().fellowship
    return {
        "experts": "/experts/",
        "fellowship": fellowship.get_absolute_url(),
        "home": "/",
        "listing": "/policy-analysis/",
        "filtered": f"/policy-analysis/?topic={piece.topics.first().slug}&from=2000&sort=oldest",
        "search": "/search/?q=analysis",
        "detail": piece.get_absolute_url(),
        "expert": piece.authors.first().get_absolute_url(),
        "topic": piece.topics.first().get_absolute_url(),
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
    }


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("n", [3, 60])
@pytest.mark.parametrize("page", BOUNDS)
def test_page_stays_within_its_query_bound(client, rich_pieces, django_assert_max_num_queries, page, n):
    url = urls_for(rich_pieces(n))[page]
    with django_assert_max_num_queries(BOUNDS[page]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", BOUNDS)
def test_page_makes_the_same_number_of_queries_for_3_pieces_and_for_60(client, rich_pieces, page):
    url = urls_for(rich_pieces(3))[page]
    few = count_queries(client, url)
    rich_pieces(57)
    assert count_queries(client, url) == few
