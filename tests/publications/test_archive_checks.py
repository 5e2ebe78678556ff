"""The archive trusts nothing: hostile values, nesting, natural keys, partial and relative imports."""

import datetime
import json
import re

import pytest
from django.core.management.base import CommandError
from reversion.models import Revision

from people.models import Appointment
from publications.archive import SECTIONS, ArchiveError, archive_import
from publications.models import (
    Authorship,
    Publication,
    Tag,
)

from ..factories import PublicationFactory
from .archive_support import REFERENCE, archive_with, export, import_archive, nested, snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["publications"][0].update(pdf="../../../../etc/passwd"),
            "pdf must be a stored file name in publications/pdf/, not '../../../../etc/passwd': "
            "it has a “.” or “..” part",
        ),
        (
            lambda d: d["publications"][0].update(pdf="publications/pdf/../../../etc/passwd"),
            "it has a “.” or “..” part",
        ),
        (
            lambda d: d["publications"][0].update(image="//host/x.png"),
            "image must be a stored file name in publications/images/, not '//host/x.png': "
            "it starts with a slash",
        ),
        (lambda d: d["publications"][0].update(image="publications/images//x.png"), "it has an empty part"),
        (lambda d: d["publications"][0].update(pdf="https://evil.example/x.pdf"), "it is an address"),
        (lambda d: d["publications"][0].update(pdf="publications\\pdf\\x.pdf"), "it contains a backslash"),
        (lambda d: d["publications"][0].update(pdf="publications/pdf/x\x00.pdf"), "a control character"),
        (lambda d: d["publications"][0].update(pdf="publications/pdf/x\n.pdf"), "a control character"),
        (
            lambda d: d["publications"][0].update(pdf="publications/pdf/" + "a" * 300 + ".pdf"),
            "it is longer than 255 characters",
        ),
        (
            lambda d: d["publications"][0].update(image="people/anna.jpg"),
            "it is not in the folder publications/images/",
        ),
        (
            lambda d: d["people"][0].update(photo="people/../../../etc/passwd"),
            "photo must be a stored file name in people/",
        ),
        (lambda d: d["people"][0].update(photo=["people/a.jpg"]), "photo must be a string"),
        (
            lambda d: d["publications"][0].update(publish_at="9999-12-31T23:00:00-05:00"),
            "publish_at must be in the years 1900 to 2100, not '9999-12-31T23:00:00-05:00'",
        ),
        (
            lambda d: d["publications"][0].update(publish_at="0001-01-01T00:00:00+01:00"),
            "publish_at must be in the years 1900 to 2100",
        ),
        (  # in range where it is written, out of range once in UTC
            lambda d: d["publications"][0].update(publish_at="2100-12-31T23:30:00-05:00"),
            "publish_at must be in the years 1900 to 2100",
        ),
        (lambda d: d["publications"][0].update(outlet_date="9999-12-31"), "outlet_date must be in the years"),
        (lambda d: d["appointments"][0].update(end="0001-01-01"), "end must be in the years 1900 to 2100"),
        (
            lambda d: d["publication_types"][0].update(position=10**30),
            "position must be a whole number from 0 to 2147483647",
        ),
        (lambda d: d["publications"][0].update(image_width=2**31), "image_width must be a whole number"),
        (lambda d: d["publications"][0].update(title=nested(500)), "title must be a string"),
        (lambda d: d["publications"][0].update(authors=nested(500)), "authors must list each author as"),
    ],
)
def test_a_hostile_archive_is_refused_with_a_reason_and_changes_nothing(content, tmp_path, change, message):
    first = export()
    before = snapshot()
    with pytest.raises(CommandError, match="The archive cannot be imported:") as exc:
        import_archive(archive_with(first, change), tmp_path)
    # One line, naming the row and the field: "- publications[0] (its-slug): pdf must be ..."
    (line,) = [line for line in str(exc.value).splitlines() if line.startswith("- ")]
    assert re.match(r"- \w+\[0\] \(.+\): ", line) and message in line, line
    assert len(line) < 400
    assert snapshot() == before


HEAD = '{"format": "publications-archive", "version": 1, '


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply to read"),
        (HEAD + '"publications": [' + "[" * 100_000 + "]" * 100_000 + "]}", "nested too deeply to read"),
        (
            HEAD + '"tags": [{"slug": "a", "name": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}]}",
            "nested",
        ),
        (
            HEAD + '"publication_types": [{"slug": "a", "name": "A", "position": ' + "9" * 5000 + "}]}",
            "is not valid JSON",
        ),
    ],
)
def test_an_archive_nested_past_reading_is_refused_with_a_reason(content, tmp_path, text, message):
    before = snapshot()
    with pytest.raises(CommandError, match=r"archive\.json ") as exc:
        import_archive(text, tmp_path)
    assert message in str(exc.value) and len(str(exc.value)) < 500
    assert snapshot() == before


def test_a_deeply_nested_value_handed_to_the_importer_is_reported_short(content):
    before = snapshot()
    with pytest.raises(ArchiveError, match=r'"format" is \[\[\[.*\]\]\], not'):
        archive_import({"format": nested(100_000), "version": 1})
    assert snapshot() == before


# Natural keys: the archive names every object by its model's natural key.


def test_every_archived_object_round_trips_through_its_natural_key(content):
    data = json.loads(export())
    for section in SECTIONS:
        objects = list(section.model.objects.all())
        assert objects, section.name
        for obj in objects:
            key = obj.natural_key()
            assert isinstance(key, tuple) and all(isinstance(part, str) for part in key), key
            assert section.model.objects.get_by_natural_key(*key) == obj, (section.name, key)
        # The archive's rows carry the same keys as the models give.
        archived = {tuple(str(row[name]) for name in section.key) for row in data[section.name]}
        assert archived == {obj.natural_key() for obj in objects}, section.name
    for authorship in Authorship.objects.select_related("publication", "person"):
        key = authorship.natural_key()
        assert key == (authorship.publication.slug, authorship.person.slug)
        assert Authorship.objects.get_by_natural_key(*key) == authorship


def test_natural_keys_are_unique_in_the_database(db):
    piece = PublicationFactory(slug="one")
    with pytest.raises(Publication.DoesNotExist):
        Publication.objects.get_by_natural_key("two")
    assert Publication.objects.get_by_natural_key("one") == piece
    assert Appointment.natural_key.dependencies == ["people.person", "people.fellowship"]
    assert Authorship.natural_key.dependencies == ["publications.publication", "people.person"]


def test_only_missing_objects_are_created_when_asked(content):
    data = json.loads(export())
    piece = Publication.objects.get(slug=REFERENCE)
    piece.title = "An editor's title"
    piece.save()
    Tag.objects.filter(slug="free-tag").delete()
    before = Revision.objects.count()
    counts = archive_import(data, missing_only=True)
    assert counts["tags"] == {"created": 1, "updated": 0, "unchanged": Tag.objects.count() - 1}
    assert counts["publications"]["updated"] == 0
    assert Publication.objects.get(slug=REFERENCE).title == "An editor's title"
    # The piece that had the tag exists, so it is left as it is: without the tag.
    assert not Publication.objects.get(slug="arabic-piece").tags.exists()
    assert Revision.objects.count() == before  # no piece, person or fellowship written


def test_a_relative_publish_time_counts_from_the_time_given(content):
    data = json.loads(export())
    row = next(p for p in data["publications"] if p["slug"] == REFERENCE)
    row["publish_at"] = "-P2D"
    now = datetime.datetime(2030, 1, 10, 8, 15, 59, tzinfo=datetime.UTC)
    counts = archive_import(data, relative_to=now)
    assert counts["publications"]["updated"] == 1
    assert Publication.objects.get(slug=REFERENCE).publish_at == datetime.datetime(
        2030, 1, 8, 8, 15, tzinfo=datetime.UTC
    )
    row["publish_at"] = "+P99999D"
    with pytest.raises(ArchiveError, match=r"publish_at must be in the years 1900 to 2100, not '\+P99999D'"):
        archive_import(data, relative_to=now)
