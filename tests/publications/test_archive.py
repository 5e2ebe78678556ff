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

from publications import search
from publications.models import (
    Authorship,
    Publication,
    SlugRedirect,
)

from .archive_support import (
    REFERENCE,
    archive_with,
    export,
    import_archive,
    reference_parts,
    row_counts,
    snapshot,
    wipe,
)

pytestmark = pytest.mark.django_db


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
        import_archive(archive_with(first, change), tmp_path)
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
