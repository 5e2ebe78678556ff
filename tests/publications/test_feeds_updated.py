"""A piece's "updated" time is its last real change: in feeds, across saves and through the archive."""

import datetime
import io
import json

import feedparser
import pytest
from django.core.management import call_command
from django.utils import timezone

from publications.archive import archive_import
from publications.models import Publication
from publications.services import publication_unpublish
from tests.factories import PublicationFactory, edit_piece, staff_editor

from .archive_support import REFERENCE, export, import_archive, wipe

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(2015, 11, 30, 14, tzinfo=datetime.UTC)


def atom_entries(client, url="/feeds/atom/"):
    feed = feedparser.parse(client.get(url).content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed, {entry.link.rsplit("/", 2)[-2]: entry for entry in feed.entries}


def moment(parsed):
    return datetime.datetime(*parsed[:6], tzinfo=datetime.UTC)


@pytest.fixture
def old_piece(db):
    piece = PublicationFactory(slug="old-piece", title="An old piece", publish_at=LONG_AGO)
    Publication.objects.filter(pk=piece.pk).update(updated_at=LONG_AGO)  # written back then
    piece.refresh_from_db()
    return piece


def test_the_demos_2015_piece_has_not_changed_since_2015(client):
    call_command("load_demo", stdout=io.StringIO())
    _feed, entries = atom_entries(client)
    entry = entries[REFERENCE]
    assert moment(entry.updated_parsed) == moment(entry.published_parsed) == LONG_AGO
    rss = feedparser.parse(client.get("/feeds/rss/").content)
    modified = next(e for e in rss.entries if REFERENCE in e.link)
    assert "2015-11-30T14:00:00" in client.get("/feeds/rss/").text
    assert modified.published_parsed[:3] == (2015, 11, 30)


def test_a_save_that_changes_nothing_leaves_the_updated_time(client, old_piece):
    edit_piece(old_piece)  # Save clicked on an untouched form
    edit_piece(Publication.objects.get(pk=old_piece.pk), is_featured=True)  # featured: no change to it
    assert Publication.objects.get(pk=old_piece.pk).updated_at == LONG_AGO
    _feed, entries = atom_entries(client)
    assert moment(entries["old-piece"].updated_parsed) == LONG_AGO


def test_a_real_change_moves_it_and_the_feed_says_so(client, old_piece):
    before = timezone.now()
    edit_piece(old_piece, title="An old piece, corrected")
    piece = Publication.objects.get(pk=old_piece.pk)
    assert piece.updated_at >= before
    _feed, entries = atom_entries(client)
    entry = entries["old-piece"]
    assert moment(entry.updated_parsed) >= before.replace(microsecond=0)
    assert moment(entry.published_parsed) == LONG_AGO  # published then, revised now
    assert "<dcterms:modified>" in client.get("/feeds/rss/").text


def test_the_channel_was_updated_when_its_newest_entry_was(client, old_piece):
    newer = PublicationFactory(publish_at=LONG_AGO + datetime.timedelta(days=3))
    Publication.objects.filter(pk=newer.pk).update(updated_at=LONG_AGO + datetime.timedelta(days=40))
    feed, _entries = atom_entries(client)
    assert moment(feed.feed.updated_parsed) == LONG_AGO + datetime.timedelta(days=40)
    rss = feedparser.parse(client.get("/feeds/rss/").content)
    assert rss.feed.updated_parsed[:3] == (2016, 1, 9)  # lastBuildDate


def test_the_archive_carries_the_updated_time_and_an_import_keeps_it(old_piece, tmp_path):
    archive = export()
    (row,) = json.loads(archive)["publications"]
    assert row["updated_at"] == "2015-11-30T14:00:00Z"
    wipe()
    import_archive(archive, tmp_path)
    assert Publication.objects.get(slug="old-piece").updated_at == LONG_AGO


def test_an_import_restoring_an_old_version_puts_back_its_time(old_piece, tmp_path):
    archive = export()
    edit_piece(old_piece, title="Changed since")
    import_archive(archive, tmp_path)
    piece = Publication.objects.get(slug="old-piece")
    assert (piece.title, piece.updated_at) == ("An old piece", LONG_AGO)


def test_a_piece_imported_without_an_updated_time_last_changed_when_published(old_piece):
    data = json.loads(export())
    del data["publications"][0]["updated_at"]
    data["publications"][0]["slug"] = "imported-piece"
    archive_import(data)
    assert Publication.objects.get(slug="imported-piece").updated_at == LONG_AGO


def test_a_workflow_step_is_a_change_the_editors_see(old_piece):
    before = timezone.now()
    publication_unpublish(publication=old_piece, user=staff_editor())
    assert Publication.objects.get(pk=old_piece.pk).updated_at >= before
