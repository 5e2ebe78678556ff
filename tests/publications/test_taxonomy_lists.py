"""The topic and region lists: each term's count of public pieces, from one grouped query kept
until the content changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PublicationFactory, RegionFactory, TopicFactory

pytestmark = pytest.mark.django_db

FACTORIES = {"topics": TopicFactory, "regions": RegionFactory}


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", FACTORIES)
def test_a_list_of_thirty_terms_costs_what_a_list_of_three_does(client, kind):
    terms = [FACTORIES[kind]() for _ in range(3)]
    PublicationFactory(**{kind: terms})
    few = queries(client, f"/{kind}/")
    terms += [FACTORIES[kind]() for _ in range(27)]  # a new term starts a new generation: recounted
    PublicationFactory(**{kind: terms})
    assert queries(client, f"/{kind}/") == few


@pytest.mark.parametrize("kind", FACTORIES)
def test_counts_are_kept_until_the_content_changes_then_counted_again(client, kind):
    term = FACTORIES[kind](name="Sanctions")
    PublicationFactory(**{kind: [term]})
    first = queries(client, f"/{kind}/")
    assert queries(client, f"/{kind}/") == first - 1  # the grouped count is not run again
    PublicationFactory(**{kind: [term]})
    response = client.get(f"/{kind}/")
    assert {t.name: t.count_label for t in response.context["terms"]} == {"Sanctions": "2 pieces"}
