"""An expert's page: areas of expertise as links, ways to reach them, and the demo's sample note."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, RegionFactory, TopicFactory

pytestmark = pytest.mark.django_db

FICTIONAL_NOTE = "Sample profile written for the demo; not a real person’s biography."
REAL_AUTHOR_NOTE = "Profile summarized for the demo from a real piece’s byline"


def aside(client, person):
    return (
        client.get(person.get_absolute_url())
        .text.split('<aside class="person-aside">')[1]
        .split("</aside>")[0]
    )


def test_an_area_of_expertise_links_to_the_topic_or_region_of_that_name_else_to_a_search(client):
    TopicFactory(name="Great Power Competition", slug="great-power-competition")
    RegionFactory(name="Syria", slug="syria")
    person = PersonFactory(expertise="Great power competition, Syria, Drones & missiles")
    html = aside(client, person)
    assert '<a href="/topics/great-power-competition/">Great power competition</a>' in html
    assert '<a href="/regions/syria/">Syria</a>' in html
    assert '<a href="/search/?q=Drones+%26+missiles">Drones &amp; missiles</a>' in html


def test_a_topic_and_a_region_of_one_name_link_to_the_topic(client):
    TopicFactory(name="Gulf", slug="gulf-topic")
    RegionFactory(name="Gulf", slug="gulf-region")
    assert '<a href="/topics/gulf-topic/">Gulf</a>' in aside(client, PersonFactory(expertise="Gulf"))


def test_linking_the_areas_of_expertise_costs_one_query_however_many_there_are(client):
    for n in range(8):
        TopicFactory(name=f"Topic {n}", slug=f"topic-{n}")
    one, many = (
        PersonFactory(expertise="Topic 0"),
        PersonFactory(expertise=", ".join(f"Topic {n}" for n in range(8))),
    )
    counts = []
    for person in (one, many):
        with CaptureQueriesContext(connection) as captured:
            client.get(person.get_absolute_url())
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_page_gives_the_media_contact_and_the_expert_s_own_email_when_public(client, settings):
    settings.INSTITUTION_MEDIA_EMAIL = "media@institute.test"
    html = aside(client, PersonFactory(email="dana@institute.test"))
    assert 'href="mailto:dana@institute.test"' in html and 'href="mailto:media@institute.test"' in html
    html = aside(client, PersonFactory(email=""))
    assert "Email</span>" not in html and 'href="mailto:media@institute.test"' in html
    assert 'href="/contact/"' in html


def test_a_fictional_profile_says_so_on_its_page_and_in_the_experts_list(client):
    person = PersonFactory(name="Invented Person", sample_profile="fictional")
    assert FICTIONAL_NOTE in client.get(person.get_absolute_url()).text
    card = client.get("/experts/").text.split("Invented Person</a>")[1].split("</li>")[0]
    assert "Sample profile: fictional, written for the demo." in card


def test_a_real_author_s_demo_profile_says_it_was_summarized_not_that_it_is_fictional(client):
    person = PersonFactory(sample_profile="real-author")
    text = client.get(person.get_absolute_url()).text
    assert REAL_AUTHOR_NOTE in text and FICTIONAL_NOTE not in text


def test_a_real_profile_carries_no_sample_note(client):
    person = PersonFactory(name="Actual Person")
    text = client.get(person.get_absolute_url()).text
    assert "sample-note" not in text.split("<footer")[0]
    card = client.get("/experts/").text.split("Actual Person</a>")[1].split("</li>")[0]
    assert "sample-note" not in card


def test_in_the_demo_the_fictional_experts_are_marked_and_the_reference_author_is_not_called_fictional(
    client, demo_site
):
    from people.models import Person

    anna = Person.objects.get(slug="anna-borshchevskaya")
    text = client.get(anna.get_absolute_url()).text
    assert REAL_AUTHOR_NOTE in text and FICTIONAL_NOTE not in text
    fictional = Person.objects.exclude(slug="anna-borshchevskaya")
    assert fictional.exists()
    for person in fictional:
        assert FICTIONAL_NOTE in client.get(person.get_absolute_url()).text, person.slug
