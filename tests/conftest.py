import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from publications.models import Publication
from publications.roles import roles_sync

from .factories import AppointmentFactory, PersonFactory, PublicationFactory, RegionFactory, TopicFactory


@pytest.fixture
def hidden_pieces(db):
    """Return one piece in every state a reader must never see, each by a public expert."""
    author = PersonFactory(name="Hidden Author", slug="hidden-author")
    topic = TopicFactory(name="Secret Topic", slug="secret-topic")
    region = RegionFactory(name="Secret Region", slug="secret-region")
    states = {
        "draft": {"status": Publication.Status.DRAFT, "publish_at": None},
        "in review": {"status": Publication.Status.IN_REVIEW, "publish_at": None},
        "scheduled": {
            "status": Publication.Status.PUBLISHED,
            "publish_at": timezone.now() + datetime.timedelta(days=2),
        },
        "archived": {
            "status": Publication.Status.ARCHIVED,
            "publish_at": timezone.now() - datetime.timedelta(days=30),
        },
    }
    return [
        PublicationFactory(
            title=f"Unpublished {label} piece",
            slug=f"unpublished-{label.replace(' ', '-')}",
            authors=[author],
            topics=[topic],
            regions=[region],
            **fields,
        )
        for label, fields in states.items()
    ]


@pytest.fixture
def rich_pieces(db):
    """Return a function that adds n published pieces, each with the same 5 authors and 10 tags."""
    authors = PersonFactory.create_batch(5)
    for author in authors:
        AppointmentFactory(person=author)
    topics = TopicFactory.create_batch(4)
    regions = RegionFactory.create_batch(3)
    tags = [f"tag {i}" for i in range(3)]

    def make(n):
        return [
            PublicationFactory(
                authors=authors, topics=topics, regions=regions, tags=tags, is_featured=(i % 10 == 0)
            )
            for i in range(n)
        ]

    return make


@pytest.fixture
def demo_site(db):
    """Load the demo content (reference piece, sample pieces, people, fellowships)."""
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def make_user(db, django_user_model):
    def make(username, role=None, **extra):
        user = django_user_model.objects.create_user(username, password="pw", is_staff=True, **extra)
        if role:
            if not Group.objects.filter(name=role).exists():
                # A browser test before this one (in the same process) flushed the migration's rows.
                roles_sync()
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def page_cache(settings):
    """Production's page cache (off in tests otherwise)."""
    settings.PAGE_CACHE_SECONDS = 600
    return settings


@pytest.fixture
def purge_on_commit(settings):
    """Production's purges, sent when a transaction commits (tests with real commits)."""
    settings.PAGE_PURGE_ON_COMMIT = True


@pytest.fixture
def production_checks(page_cache):
    """Production's page cache and Host port check (tests otherwise accept any port)."""
    page_cache.ALLOWED_HOST_PORTS = []
    return page_cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Start every test with an empty cache: the database is rolled back between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
