import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from publications.models import Authorship, Publication
from tests.factories import (
    AppointmentFactory,
    FellowshipFactory,
    PersonFactory,
    PublicationFactory,
    PublicationTypeFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_bio_line_is_drafted_from_the_fellowship_held_on_the_publish_date():
    person = PersonFactory(name="Anna Example", job_title="")
    AppointmentFactory(
        person=person,
        fellowship=FellowshipFactory(holder_title="Ira Weiner Fellow"),
        start=datetime.date(2015, 1, 1),
        end=datetime.date(2019, 12, 31),
    )
    AppointmentFactory(
        person=person,
        fellowship=FellowshipFactory(holder_title="Senior Fellow"),
        start=datetime.date(2020, 1, 1),
    )
    old = PublicationFactory(
        publish_at=datetime.datetime(2015, 11, 30, 14, tzinfo=datetime.UTC), authors=[person]
    )
    new = PublicationFactory(
        publish_at=datetime.datetime(2024, 5, 1, 14, tzinfo=datetime.UTC), authors=[person]
    )
    assert (
        old.authorships.get().bio_line == "Anna Example is an Ira Weiner Fellow at The Washington Institute."
    )
    assert new.authorships.get().bio_line == "Anna Example is a Senior Fellow at The Washington Institute."


def test_a_later_change_of_title_does_not_rewrite_old_bio_lines():
    person = PersonFactory(name="Ben Example", job_title="Research Assistant")
    piece = PublicationFactory(authors=[person])
    person.job_title = "Director of Research"
    person.save()
    AppointmentFactory(person=person, start=datetime.date(2000, 1, 1))
    assert (
        piece.authorships.get().bio_line == "Ben Example is a Research Assistant at The Washington Institute."
    )


def test_an_edited_bio_line_is_kept():
    piece = PublicationFactory()
    authorship = Authorship.objects.create(publication=piece, person=PersonFactory(), bio_line="Custom line.")
    authorship.save()
    assert Authorship.objects.get(pk=authorship.pk).bio_line == "Custom line."


def test_the_same_person_cannot_be_listed_twice_as_author():
    person = PersonFactory()
    piece = PublicationFactory(authors=[person])
    with pytest.raises(IntegrityError), transaction.atomic():
        Authorship.objects.create(publication=piece, person=person, position=1)


def test_authors_keep_their_byline_order():
    people = PersonFactory.create_batch(3)
    piece = PublicationFactory(authors=list(reversed(people)))
    assert [a.person for a in piece.ordered_authorships] == list(reversed(people))


def test_a_published_piece_must_have_a_publish_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicationFactory(status=Publication.Status.PUBLISHED, publish_at=None)


def test_deleting_a_type_or_author_in_use_is_refused():
    person = PersonFactory()
    kind = PublicationTypeFactory(name="Testimony", slug="testimony")
    PublicationFactory(type=kind, authors=[person])
    with pytest.raises(ProtectedError):
        kind.delete()
    with pytest.raises(ProtectedError):
        person.delete()


def test_deleting_a_topic_in_use_is_refused():
    topic = TopicFactory()
    PublicationFactory(topics=[topic])
    with pytest.raises(ProtectedError):
        topic.delete()


def test_the_body_is_sanitized_on_save():
    piece = PublicationFactory(
        body='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">link</a>'
        '<img src="x.png" onerror="alert(1)" alt="A map"></p>'
    )
    piece.refresh_from_db()
    assert "script" not in piece.body
    assert "onclick" not in piece.body and "onerror" not in piece.body
    assert "javascript:" not in piece.body
    assert '<img src="x.png" alt="A map">' in piece.body


def test_every_model_names_itself_and_its_page():
    piece = PublicationFactory(title="A title", slug="a-title")
    assert str(piece) == "A title"
    assert piece.get_absolute_url() == "/policy-analysis/a-title/"
    assert piece.get_short_url() == f"/p/{piece.pk}/"
    assert piece.type.get_absolute_url() == "/policy-analysis/?type=policywatch"
