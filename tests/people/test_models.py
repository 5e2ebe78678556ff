import datetime
import importlib

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from people.models import indefinite_article
from tests.factories import AppointmentFactory, FellowshipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_an_appointment_must_start_before_it_ends():
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(start=datetime.date(2020, 1, 1), end=datetime.date(2019, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(start=datetime.date(2020, 1, 1), end=datetime.date(2020, 1, 1))


def test_current_and_past_appointments_are_told_apart():
    person = PersonFactory()
    past = AppointmentFactory(person=person, start=datetime.date(2009, 1, 1), end=datetime.date(2014, 12, 31))
    current = AppointmentFactory(person=person, start=datetime.date(2015, 1, 1))
    assert person.current_appointments == [current]
    assert person.past_appointments == [past]


def test_the_bio_line_falls_back_to_the_job_title_then_to_nothing():
    assert PersonFactory(name="Ann", job_title="Analyst").bio_line_on() == (
        "Ann is an Analyst at The Washington Institute."
    )
    assert PersonFactory(job_title="").bio_line_on() == ""


def test_the_appointment_covers_its_last_day():
    appointment = AppointmentFactory(start=datetime.date(2009, 1, 1), end=datetime.date(2014, 12, 31))
    person = appointment.person
    assert person.appointment_on(datetime.date(2014, 12, 31)) == appointment
    assert person.appointment_on(datetime.date(2015, 1, 1)) is None


def test_deleting_a_fellowship_or_person_with_history_is_refused():
    appointment = AppointmentFactory()
    with pytest.raises(ProtectedError):
        appointment.fellowship.delete()
    with pytest.raises(ProtectedError):
        appointment.person.delete()
    assert FellowshipFactory().delete()[0] == 1


@pytest.mark.parametrize(
    ("holder_title", "line"),
    [
        ("Hong Kong Fellow", "Ann is a Hong Kong Fellow at The Washington Institute."),
        ("Ukrainian Studies Fellow", "Ann is a Ukrainian Studies Fellow at The Washington Institute."),
        ("MBA Fellow", "Ann is an MBA Fellow at The Washington Institute."),
        ("Honorary Fellow", "Ann is an Honorary Fellow at The Washington Institute."),
        ("Ira Weiner Fellow", "Ann is an Ira Weiner Fellow at The Washington Institute."),
        ("Senior Fellow", "Ann is a Senior Fellow at The Washington Institute."),
    ],
)
def test_without_a_bio_title_the_bio_line_guesses_the_article(holder_title, line):
    fellowship = FellowshipFactory(holder_title=holder_title)
    assert (
        AppointmentFactory(person=PersonFactory(name="Ann"), fellowship=fellowship).person.bio_line_on()
        == line
    )


@pytest.mark.parametrize(
    ("title", "article"),
    [
        ("MBA Fellow", "an"),
        ("FBI Liaison", "an"),
        ("NYU Fellow", "an"),
        ("EU Fellow", "an"),
        ("UN Fellow", "a"),
        ("US Army Fellow", "a"),
        ("Hong Kong Fellow", "a"),
        ("Honduras Fellow", "a"),
        ("Honest Broker", "an"),
        ("Honour Fellow", "an"),
        ("Hour Fellow", "an"),
        ("Heir", "an"),
        ("Ukrainian Studies Fellow", "a"),
        ("Uk Fellow", "a"),
        ("Unity Fellow", "a"),
        ("Usual Suspect", "a"),
        ("One-Year Fellow", "a"),
        ("Eurasia Fellow", "a"),
        ("SENIOR FELLOW", "a"),
        ("", "a"),
    ],
)
def test_the_guessed_article_follows_the_sound_of_the_first_word(title, article):
    assert indefinite_article(title) == article


def test_the_job_title_gets_the_same_guess_when_there_is_no_appointment():
    assert PersonFactory(name="Ann", job_title="MBA Candidate").bio_line_on() == (
        "Ann is an MBA Candidate at The Washington Institute."
    )


def test_a_fellowships_bio_title_is_used_verbatim_in_the_bio_line():
    fellowship = FellowshipFactory(holder_title="Hour Fellow", bio_title="the inaugural Hour Fellow")
    person = AppointmentFactory(person=PersonFactory(name="Ann"), fellowship=fellowship).person
    assert person.bio_line_on() == "Ann is the inaugural Hour Fellow at The Washington Institute."


def test_the_migration_writes_down_the_guess_for_existing_fellowships():
    from django.apps import apps

    migration = importlib.import_module("people.migrations.0004_fellowship_bio_title")
    hong_kong = FellowshipFactory(holder_title="Hong Kong Fellow")
    mba = FellowshipFactory(holder_title="MBA Fellow")
    chosen = FellowshipFactory(holder_title="Ira Weiner Fellow", bio_title="the first Ira Weiner Fellow")
    migration.fill_bio_titles(apps, None)
    for fellowship in (hong_kong, mba, chosen):
        fellowship.refresh_from_db()
    assert hong_kong.bio_title == "a Hong Kong Fellow"
    assert mba.bio_title == "an MBA Fellow"
    assert chosen.bio_title == "the first Ira Weiner Fellow"
