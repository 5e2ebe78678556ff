"""What the search page, the topic and region lists and the year archive count and show."""

import datetime

import pytest
from django.utils import timezone

from publications.models import Publication
from tests.factories import PublicationFactory, RegionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_the_search_page_without_a_query_counts_nothing_and_claims_no_results(
    client, django_assert_max_num_queries
):
    for _ in range(3):
        PublicationFactory()
    with django_assert_max_num_queries(1):  # the session-less page: no facet counts, no COUNT(*)
        response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["facets"] is None
    assert response.context["paginator"].count == 0
    assert b"result-count" not in response.content


def test_the_search_page_with_a_query_counts_what_it_found(client):
    PublicationFactory(title="Hezbollah's missiles")
    PublicationFactory(title="Something else")
    response = client.get("/search/", {"q": "hezbollah"})
    assert response.context["paginator"].count == 1
    assert response.context["facets"]["type"]["values"]


@pytest.mark.parametrize("kind", ["topics", "regions"])
def test_the_topic_and_region_lists_show_each_terms_count_of_published_pieces(client, kind):
    factory = TopicFactory if kind == "topics" else RegionFactory
    busy, quiet = factory(name="Busy", slug="busy"), factory(name="Quiet", slug="quiet")
    for _ in range(2):
        PublicationFactory(**{kind: [busy]})
    # Not public: a draft and a scheduled piece do not count.
    PublicationFactory(**{kind: [busy, quiet]}, status=Publication.Status.DRAFT)
    PublicationFactory(**{kind: [quiet]}, publish_at=timezone.now() + datetime.timedelta(days=2))
    response = client.get(f"/{kind}/")
    counts = {term.name: term.count for term in response.context["terms"]}
    assert counts == {"Busy": 2, "Quiet": 0}
    page = response.content.decode()
    assert "2 pieces" in page and "0 pieces" in page


def test_the_year_archive_takes_next_year_by_the_sites_clock(client, settings):
    next_year = timezone.localdate().year + 1
    assert client.get(f"/policy-analysis/archive/{next_year}/").status_code == 200
    assert client.get(f"/policy-analysis/archive/{next_year + 1}/").status_code == 404
