import datetime

import pytest

from tests.factories import AppointmentFactory, FellowshipFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_experts_page_lists_only_listed_experts(client):
    PersonFactory(name="Listed Person")
    PersonFactory(name="Unlisted Person", is_expert=False)
    text = client.get("/experts/").text
    assert "Listed Person" in text
    assert "Unlisted Person" not in text


def test_expert_page_shows_bio_fellowships_over_time_and_pieces(client):
    person = PersonFactory(name="Dana Example", long_bio="First paragraph.\n\nSecond paragraph.")
    AppointmentFactory(
        person=person,
        fellowship=FellowshipFactory(holder_title="Old Fellow"),
        start=datetime.date(2009, 1, 1),
        end=datetime.date(2014, 12, 31),
    )
    AppointmentFactory(
        person=person,
        fellowship=FellowshipFactory(holder_title="New Fellow"),
        start=datetime.date(2015, 1, 1),
    )
    piece = PublicationFactory(authors=[person], title="Her analysis")
    text = client.get(person.get_absolute_url()).text
    assert "<p>First paragraph.</p>" in text and "<p>Second paragraph.</p>" in text
    assert "Past fellowships" in text and "Old Fellow" in text and "2009–2014" in text
    assert "Current fellowship" in text and "New Fellow" in text and "Since January 2015" in text
    assert piece.get_absolute_url() in text


def test_an_unlisted_author_still_has_a_page_for_the_byline(client):
    person = PersonFactory(is_expert=False)
    assert client.get(person.get_absolute_url()).status_code == 200


def test_fellowship_pages_list_holders_over_time(client):
    fellowship = FellowshipFactory(
        name="Ira Weiner Fellowship", holder_title="Ira Weiner Fellow", donor="Ira Weiner"
    )
    AppointmentFactory(
        fellowship=fellowship,
        person=PersonFactory(name="Past Holder"),
        start=datetime.date(2009, 1, 1),
        end=datetime.date(2014, 12, 31),
    )
    AppointmentFactory(
        fellowship=fellowship, person=PersonFactory(name="Current Holder"), start=datetime.date(2015, 1, 1)
    )
    listing = client.get("/fellowships/").text
    assert "Ira Weiner Fellowship" in listing and "Current Holder" in listing
    assert "Past Holder" not in listing
    page = client.get(fellowship.get_absolute_url()).text
    assert page.index("Current Holder") < page.index("Past Holder")
    assert "Endowed by Ira Weiner." in page


def test_a_future_appointment_is_not_shown_as_current(client):
    person = PersonFactory()
    AppointmentFactory(
        person=person,
        fellowship=FellowshipFactory(holder_title="Future Fellow"),
        start=datetime.date(2999, 1, 1),
    )
    assert "Future Fellow" not in client.get(person.get_absolute_url()).text
