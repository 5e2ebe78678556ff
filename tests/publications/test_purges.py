"""A change purges exactly the pages that show it: the keys each kind of change purges.

Every test commits for real (a purge waits for the commit) and records the keys the app's
cache and the edge are told to purge (``purged``).
"""

import datetime

import pytest
from django.utils import timezone

from core import purge as pages
from people.models import Appointment
from publications.models import Publication, PublicationType, SlugRedirect, Tag
from publications.services import publication_publish, publication_schedule, publication_unpublish
from publications.services.state import publication_state
from tests.editorial.services_support import save
from tests.factories import (
    FellowshipFactory,
    PersonFactory,
    PublicationFactory,
    RegionFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("purge_on_commit")]

PIECE_ONLY = {"piece", "search"}


class Purges(list):
    """Each purge's keys, in order."""

    def all(self):
        return set().union(*self)


@pytest.fixture
def purged(monkeypatch):
    """The keys purged since the fixture started (one set per purge)."""
    calls = Purges()
    real = pages._mark_purged
    monkeypatch.setattr(pages, "_mark_purged", lambda keys, now: (calls.append(set(keys)), real(keys, now)))
    return calls


@pytest.fixture
def editor(make_user):
    return make_user("edith", "Editors")


@pytest.fixture
def piece():
    author = PersonFactory()
    return PublicationFactory(authors=[author], topics=[TopicFactory()], regions=[RegionFactory()])


def lists_of(piece):
    return {
        "list",
        "search",
        "person",
        f"list-type-{piece.type_id}",
        *(f"list-topic-{t.pk}" for t in piece.topics.all()),
        *(f"list-region-{r.pk}" for r in piece.regions.all()),
        *(f"list-person-{a.person_id}" for a in piece.authorships.all()),
    }


def test_a_typo_in_a_public_piece_purges_that_piece_the_sitemap_and_searches_nothing_else(piece, purged):
    purged.clear()
    piece.title = "Corrected title"
    piece.save()
    assert purged.all() == {f"piece-{piece.pk}", *PIECE_ONLY}


def test_a_typo_through_the_write_path_purges_the_same_once(piece, purged, editor):
    base = publication_state(piece)
    purged.clear()
    save(piece, editor, base, title="Corrected through the service")
    assert purged == [{f"piece-{piece.pk}", *PIECE_ONLY}]  # one purge for the whole save


def test_a_draft_purges_nothing_whatever_changes(purged):
    draft = PublicationFactory(status=Publication.Status.DRAFT, publish_at=None, topics=[TopicFactory()])
    purged.clear()  # the new topic and type purged what lists terms
    draft.title = "Still a draft"
    draft.save()
    draft.delete()
    assert purged.all() == set()


def test_publishing_and_unpublishing_purge_every_list_the_piece_joins_or_leaves(purged, editor):
    draft = PublicationFactory(
        status=Publication.Status.DRAFT, publish_at=None, authors=[PersonFactory()], topics=[TopicFactory()]
    )
    purged.clear()
    publication_publish(publication=draft, user=editor)
    expected = {f"piece-{draft.pk}", "piece", *lists_of(draft)}
    assert purged.all() == expected
    purged.clear()
    publication_unpublish(publication=Publication.objects.get(pk=draft.pk), user=editor)
    assert purged.all() == expected


def test_deleting_a_public_piece_purges_its_page_and_lists(piece, purged):
    expected = {f"piece-{piece.pk}", "piece", *lists_of(piece)}
    purged.clear()
    piece.delete()
    assert expected <= purged.all()
    assert not any(key.startswith("list-topic-") and key not in expected for key in purged.all())


def test_a_new_topic_on_a_public_piece_purges_its_lists_and_the_piece_not_the_others(piece, purged, editor):
    kept = piece.topics.get()
    added = TopicFactory()
    base = publication_state(piece)
    purged.clear()
    save(piece, editor, base, topics=[kept.pk, added.pk])
    keys = purged.all()
    assert {f"piece-{piece.pk}", f"list-topic-{added.pk}", "list"} <= keys
    assert f"list-topic-{kept.pk}" not in keys
    assert not {f"list-region-{r.pk}" for r in piece.regions.all()} & keys


def test_a_new_author_purges_both_authors_pages(piece, purged, editor):
    first = piece.authorships.get().person
    second = PersonFactory()
    base = publication_state(piece)
    purged.clear()
    save(piece, editor, base, authors=[[first.pk, ""], [second.pk, ""]])
    keys = purged.all()
    assert {f"list-person-{second.pk}", f"person-{second.pk}", f"piece-{piece.pk}"} <= keys
    assert f"list-person-{first.pk}" not in keys


def test_a_scheduled_piece_purges_its_lists_when_its_time_comes(purged, monkeypatch, editor):
    topic = TopicFactory()
    draft = PublicationFactory(status=Publication.Status.DRAFT, publish_at=None, topics=[topic])
    pages.purge_due()  # the schedule is known from now on
    when = timezone.now() + datetime.timedelta(minutes=5)
    publication_schedule(publication=draft, user=editor, publish_at=when)
    assert f"list-topic-{topic.pk}" not in purged.all()  # not public yet: nothing shows it
    purged.clear()
    later = when.timestamp() + 1
    monkeypatch.setattr(pages.time, "time", lambda: later)
    monkeypatch.setattr(timezone, "now", lambda: when + datetime.timedelta(seconds=1))
    pages.purge_due()
    assert {f"piece-{draft.pk}", f"list-topic-{topic.pk}", "list"} <= purged.all()
    purged.clear()
    pages.purge_due()  # the task at the same time finds nothing new
    assert purged.all() == set()


def test_a_person_renamed_or_retitled_purges_the_pages_showing_them(purged):
    person = PersonFactory()
    purged.clear()
    person.name = "New Name"
    person.save()
    assert purged.all() == {f"person-{person.pk}", "person"}


@pytest.mark.parametrize(
    "make, kind",
    [
        (TopicFactory, "topic"),
        (RegionFactory, "region"),
        (lambda: Tag.objects.create(name="iran deal", slug="iran-deal"), "tag"),
        (lambda: PublicationType.objects.create(name="Brief", slug="brief"), "type"),
    ],
)
def test_a_term_renamed_purges_where_it_is_named_created_or_deleted_also_the_facets(make, kind, purged):
    term = make()
    assert purged[-1] == {f"{kind}-{term.pk}", kind, "list"}
    purged.clear()
    term.name = "Renamed"
    term.save()
    assert purged.all() == {f"{kind}-{term.pk}", kind}
    pk = term.pk
    term.delete()
    assert purged[-1] == {f"{kind}-{pk}", kind, "list"}


def test_fellowships_and_appointments_purge_the_fellowship_and_the_person(purged):
    person = PersonFactory()
    fellowship = FellowshipFactory()
    purged.clear()
    Appointment.objects.create(person=person, fellowship=fellowship, start=datetime.date(2020, 1, 1))
    assert purged.all() == {f"person-{person.pk}", "person", f"fellowship-{fellowship.pk}", "fellowship"}
    purged.clear()
    fellowship.name = "Distinguished Fellow"
    fellowship.save()
    assert purged.all() == {f"fellowship-{fellowship.pk}", "fellowship"}


def test_an_old_address_changes_with_its_piece(piece, purged):
    purged.clear()
    SlugRedirect.objects.create(old_slug="the-old-address", publication=piece)
    assert purged.all() == {f"piece-{piece.pk}"}


def test_in_site_mode_every_change_purges_everything(piece, purged, settings):
    settings.PAGE_CACHE_INVALIDATION = "site"
    purged.clear()
    piece.title = "Typo fixed"
    piece.save()
    assert purged.all() == {pages.ALL}
