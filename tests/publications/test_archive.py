"""The portable archive: export, import into an empty or a populated database, bad archives."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from reversion.models import Revision

from people.models import Appointment, Fellowship, Person
from publications import search
from publications.archive import SECTIONS, ArchiveError, archive_import
from publications.models import (
    Authorship,
    Publication,
    PublicationType,
    Region,
    SlugRedirect,
    Tag,
    TaggedRegion,
    TaggedTag,
    TaggedTopic,
    Topic,
)

from ..factories import PersonFactory, PublicationFactory, edit_piece

pytestmark = pytest.mark.django_db

REFERENCE = "netanyahu-and-putin-rendezvous-in-paris"
MODELS = (
    PublicationType,
    Topic,
    Region,
    Tag,
    Fellowship,
    Person,
    Appointment,
    Publication,
    Authorship,
    TaggedTopic,
    TaggedRegion,
    TaggedTag,
    SlugRedirect,
)


@pytest.fixture
def content(demo_site, hidden_pieces):
    """The demo site, pieces in every state, and the odd cases an archive must carry."""
    # A renamed piece keeps its old address.
    renamed = Publication.objects.filter(is_sample=True, status="published").order_by("slug").first()
    edit_piece(renamed, slug=f"{renamed.slug}-renamed")
    # Files by storage name (not on disk: the archive must not need them), outlet, language.
    PublicationFactory(
        title="مقال", slug="arabic-piece", language="ar", is_featured=True,
        pdf="publications/pdf/piece.pdf", image="publications/images/map.png",
        image_width=1200, image_height=800, image_alt="A map",
        outlet_name="Al-Monitor", outlet_url="https://example.org/a", outlet_date=datetime.date(2020, 2, 3),
        body='<p>Ünïcode &amp; <a href="https://example.org/">a link</a></p>',
        tags=["Free Tag"],
    )  # fmt: skip
    # A published piece whose stored bio line is empty: its author had no title then, has one now.
    untitled = PersonFactory(name="Untitled Author", slug="untitled-author", job_title="")
    PublicationFactory(slug="published-without-bio-line", authors=[untitled])
    untitled.job_title = "Research Assistant"
    untitled.save()
    Person.objects.filter(slug="anna-borshchevskaya").update(photo="people/anna.jpg")


def export():
    out = io.StringIO()
    call_command("export_publications", stdout=out)
    return out.getvalue()


def import_archive(text, tmp_path):
    path = tmp_path / "archive.json"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_publications", str(path), stdout=out)
    return out.getvalue()


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot():
    """Everything import could touch, database ids and edit counters included."""
    return {
        model.__name__: sorted(
            (str(row) for row in model.objects.values()),
        )
        for model in MODELS
    }


def wipe():
    SlugRedirect.objects.all().delete()
    Publication.objects.all().delete()  # authorships and tagged items go with them
    Appointment.objects.all().delete()
    for model in (Person, Fellowship, Topic, Region, Tag, PublicationType):
        model.objects.all().delete()


def reference_parts(client):
    """Return what a reader reads of the reference piece: title, body, bio lines."""
    page = client.get(f"/policy-analysis/{REFERENCE}/").text
    return {
        "title": re.search(r'<h1 class="piece__title">.*?</h1>', page, re.S).group(),
        "body": re.search(r'<div class="piece__body prose">.*?</div>', page, re.S).group(),
        "bios": re.search(r'<section class="bios".*?</section>', page, re.S).group(),
        "byline": re.search(r'<div class="piece__meta">.*?</div>', page, re.S).group(),
    }


def test_an_export_imported_into_an_empty_database_exports_byte_identically(content, client, tmp_path):
    before_page = reference_parts(client)
    before_counts = row_counts()
    first = export()
    assert export() == first  # deterministic
    data = json.loads(first)
    assert (data["format"], data["version"]) == ("publications-archive", 1)
    assert len(data["publications"]) == Publication.objects.count()
    assert {p["status"] for p in data["publications"]} == {"draft", "in_review", "published", "archived"}
    assert '"id"' not in first and "edit_count" not in first and "created_at" not in first

    wipe()
    assert sum(row_counts().values()) == 0
    import_archive(first, tmp_path)

    assert export() == first
    assert row_counts() == before_counts
    assert reference_parts(client) == before_page
    # Bio lines exactly as stored: drafted on published pieces, empty where they were empty.
    assert Authorship.objects.get(publication__slug="unpublished-draft").bio_line == ""
    assert Authorship.objects.get(publication__slug="published-without-bio-line").bio_line == ""
    scheduled = Authorship.objects.get(publication__slug="unpublished-scheduled")
    assert scheduled.bio_line.startswith("Hidden Author is a Senior Fellow")
    piece = Publication.objects.get(slug="arabic-piece")
    assert (piece.pdf.name, piece.image.name, piece.image_width, piece.image_height) == (
        "publications/pdf/piece.pdf",
        "publications/images/map.png",
        1200,
        800,
    )
    # Search finds the piece again by its author (PostgreSQL: the vector was rebuilt with the byline).
    assert search.matching(Publication.objects.published(), "Borshchevskaya").filter(slug=REFERENCE).exists()
    renamed = SlugRedirect.objects.get()
    assert client.get(f"/policy-analysis/{renamed.old_slug}/").status_code == 301
    assert Revision.objects.filter(comment="Imported from archive").count() == 1


def test_importing_into_the_populated_database_changes_nothing(content, tmp_path):
    first = export()
    before, revisions = snapshot(), Revision.objects.count()
    output = import_archive(first, tmp_path)
    assert snapshot() == before  # same rows, same ids, no edit counted
    assert Revision.objects.count() == revisions
    assert " 0 created, 0 updated" in output and " updated," not in output.replace(" 0 updated,", "")
    assert export() == first


def test_importing_restores_what_changed_since_the_export(content, tmp_path):
    first = export()
    piece = Publication.objects.get(slug=REFERENCE)
    edits = piece.edit_count
    piece.title = "Edited since"
    piece.save()
    piece.authorships.update(bio_line="")
    piece.topics.clear()
    output = import_archive(first, tmp_path)
    assert "publications: 0 created, 1 updated" in output
    assert export() == first
    piece.refresh_from_db()
    assert piece.edit_count == edits + 2  # the edit, then the import: a stale editor is refused
    assert Revision.objects.latest("pk").comment == "Imported from archive"


def _archive_with(first, change):
    data = json.loads(first)
    change(data)
    return json.dumps(data)


def _missing_person(data):
    data["publications"][-1]["authors"].append({"person": "nobody-at-all", "bio_line": ""})


def _missing_type(data):
    data["publications"][0]["type"] = "no-such-type"


def _bad_status_after_a_change(data):
    # The first piece changes; the last is refused only when saved: nothing at all may be written.
    data["publications"][0]["title"] = "Changed by a bad archive"
    data["publications"][-1]["status"] = "bogus"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), "not a publications archive"),
        (lambda d: d.update(version=2), "Archive version 2 is not supported"),
        (_missing_person, "no person 'nobody-at-all' in the archive or the database"),
        (_missing_type, "no publication type 'no-such-type'"),
        (lambda d: d["people"][0].pop("name"), "name is missing"),
        (lambda d: d["appointments"][0].update(start="last year"), "start must be a date"),
        (_bad_status_after_a_change, "status: Value 'bogus' is not a valid choice"),
    ],
)
def test_a_bad_archive_is_refused_with_a_reason_and_changes_nothing(content, tmp_path, change, message):
    first = export()
    before = snapshot()
    with pytest.raises(CommandError, match=re.escape(message)):
        import_archive(_archive_with(first, change), tmp_path)
    assert snapshot() == before


def test_malformed_json_is_refused_with_a_reason(content, tmp_path):
    before = snapshot()
    with pytest.raises(CommandError, match=r"is not valid JSON \(line 1, column 2"):
        import_archive("{nope", tmp_path)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_publications", str(tmp_path / "missing.json"))
    assert snapshot() == before


def test_the_commands_write_a_file_and_read_it_back(content, tmp_path):
    path = tmp_path / "out" / "archive.json"
    path.parent.mkdir()
    call_command("export_publications", output=str(path), stderr=io.StringIO())
    text = path.read_text(encoding="utf-8")
    assert text == export()
    assert json.loads(text)["publications"]
    wipe()
    out = io.StringIO()
    call_command("import_publications", str(path), stdout=out)
    assert "Imported" in out.getvalue()
    assert export() == text
    assert Publication.objects.get(slug=REFERENCE).is_public


def test_publish_times_are_utc(content):
    data = json.loads(export())
    reference = next(p for p in data["publications"] if p["slug"] == REFERENCE)
    stored = Publication.objects.get(slug=REFERENCE).publish_at
    assert reference["publish_at"].endswith("Z")
    assert datetime.datetime.fromisoformat(reference["publish_at"]) == stored
    assert stored.astimezone(timezone.get_current_timezone()).date().isoformat() == "2015-11-30"


def _nested(depth):
    value = "x"
    for _ in range(depth):
        value = [value]
    return value


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
        (lambda d: d["publications"][0].update(title=_nested(500)), "title must be a string"),
        (lambda d: d["publications"][0].update(authors=_nested(500)), "authors must list each author as"),
    ],
)
def test_a_hostile_archive_is_refused_with_a_reason_and_changes_nothing(content, tmp_path, change, message):
    first = export()
    before = snapshot()
    with pytest.raises(CommandError, match="The archive cannot be imported:") as exc:
        import_archive(_archive_with(first, change), tmp_path)
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
        archive_import({"format": _nested(100_000), "version": 1})
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
