import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

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
