import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from people.models import Appointment, Fellowship, Person
from publications import search
from publications.models import Authorship, Publication, PublicationType, Region, Topic
from publications.services import publication_save, publication_state
from publications.services.editing import draft_bio_lines


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Expert Number{n}")
    slug = factory.Sequence(lambda n: f"expert-{n}")
    sort_name = factory.LazyAttribute(lambda o: ", ".join(reversed(o.name.split(" ", 1))))
    job_title = "Senior Fellow"
    short_bio = factory.LazyAttribute(lambda o: f"{o.name} studies the region.")
    is_expert = True


class FellowshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fellowship

    name = factory.Sequence(lambda n: f"Donor{n} Fellowship")
    slug = factory.Sequence(lambda n: f"donor{n}-fellowship")
    holder_title = factory.Sequence(lambda n: f"Donor{n} Fellow")
    description = "An endowed position."


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    fellowship = factory.SubFactory(FellowshipFactory)
    start = datetime.date(2010, 1, 1)
    end = None


class PublicationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicationType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Type {n}")
    slug = factory.Sequence(lambda n: f"type-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class PublicationFactory(factory.django.DjangoModelFactory):
    """A published piece by default; pass ``status`` or ``publish_at`` for the other states."""

    class Meta:
        model = Publication
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Analysis number {n}")
    slug = factory.Sequence(lambda n: f"analysis-number-{n}")
    type = factory.SubFactory(PublicationTypeFactory, name="PolicyWatch", slug="policywatch")
    summary = "What it means for U.S. policy."
    body = "<p>First paragraph.</p><p>Second paragraph.</p>"
    status = Publication.Status.PUBLISHED
    publish_at = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(days=n + 1))

    @factory.post_generation
    def authors(self, create, people, **kwargs):
        for position, person in enumerate(people or []):
            Authorship.objects.create(publication=self, person=person, position=position)

    @factory.post_generation
    def topics(self, create, terms, **kwargs):
        if terms:
            self.topics.set(terms)

    @factory.post_generation
    def regions(self, create, terms, **kwargs):
        if terms:
            self.regions.set(terms)

    @factory.post_generation
    def tags(self, create, names, **kwargs):
        if names:
            self.tags.set(names)

    @factory.post_generation
    def derived(self, create, extracted, **kwargs):
        """Derive what the save service derives: a published piece's bio lines, the search vector."""
        draft_bio_lines(self)
        search.update_vectors(Publication.objects.filter(pk=self.pk))


def staff_editor():
    """Return a superuser for tests that write through the services as an editor would."""
    user, _created = get_user_model().objects.get_or_create(
        username="factory-editor", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def edit_piece(piece, **changes):
    """Change a piece's content through the save service (the admin's own write path)."""
    state = publication_state(piece)
    return publication_save(publication=piece, user=staff_editor(), state={**state, **changes}, base=state)
