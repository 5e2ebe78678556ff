"""The demo content: the reference piece exactly as captured, and a loader that can run twice."""

import datetime
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from reversion.models import Revision

from people.models import Appointment, Fellowship, Person
from publications.archive import (
    FORMAT,
    VERSION,
    ArchiveError,
    archive_dumps,
    archive_export,
    archive_loads,
)
from publications.archive.schema import by_name
from publications.models import Publication, PublicationType, VersionContent
from publications.services import demo_content_load
from publications.services.demo import DEMO_DIR, DEMO_FILES

pytestmark = pytest.mark.django_db

# A copy of shared/demo/ (tests/data/README.md says where from), so the fidelity test never skips.
REFERENCE = Path(__file__).resolve().parents[1] / "data" / "netanyahu-putin-rendezvous-in-paris.md"
SLUG = "netanyahu-and-putin-rendezvous-in-paris"


def captured_page():
    """Return the lines of the page as the reference file captured it."""
    text = REFERENCE.read_text(encoding="utf-8").split("## The page as captured", 1)[1]
    return [line.strip() for line in text.strip().splitlines()]


def visible_text(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_loading_the_demo_twice_changes_nothing(demo):
    def snapshot():
        models = (Publication, Person, Fellowship, Appointment, PublicationType)
        return {
            m.__name__: sorted(
                m.objects.values_list("pk", "updated_at" if hasattr(m, "updated_at") else "pk")
            )
            for m in models
        }

    before = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_the_reference_piece_reads_exactly_as_captured(client, demo):
    section, kind, title, *paragraphs, bio_line, outlet = captured_page()
    response = client.get(f"/policy-analysis/{SLUG}/")
    assert response.status_code == 200
    text = visible_text(response.text)
    breadcrumb = visible_text(response.text.split('<ol class="breadcrumb">')[1].split("</ol>")[0])
    assert breadcrumb.split() == f"{section[2:]} {kind[2:]}".split()  # "- Policy Analysis" ...
    assert f'<h1 class="piece__title">{title}</h1>' in response.text
    for paragraph in paragraphs:
        assert f"<p>{paragraph}</p>" in unescape(response.text)
    assert bio_line in text
    assert f"Originally published in {outlet}" in text
    assert "November 30, 2015" in text
    assert '<a href="/experts/anna-borshchevskaya/">Anna Borshchevskaya</a>' in response.text
    for topic in (
        "Great Power Competition",
        "Arab-Israeli Relations",
        "Terrorism",
        "Military &amp; Security",
    ):
        assert f">{topic}</a>" in response.text
    for region in ("Israel", "Syria", "Russia"):
        assert f'<a href="/regions/{region.lower()}/">{region}</a>' in response.text


def test_the_reference_piece_has_its_metadata(demo):
    piece = Publication.objects.get(slug=SLUG)
    assert piece.is_public and not piece.is_sample
    assert piece.type.name == "Articles & Op-Eds"
    assert piece.publish_date.isoformat() == "2015-11-30"
    assert sorted(piece.tags.names()) == ["Benjamin Netanyahu", "Hezbollah", "ISIS", "Vladimir Putin"]
    anna = Person.objects.get(slug="anna-borshchevskaya")
    assert anna.appointment_on(piece.publish_date).fellowship.name == "Ira Weiner Fellowship"


def test_the_demo_looks_like_a_real_site(demo):
    samples = Publication.objects.filter(is_sample=True)
    assert samples.count() >= 15
    assert samples.values("type").distinct().count() >= 4
    assert samples.annotate(n=Count("authorships")).filter(n__gte=2).count() >= 3
    assert Person.objects.count() >= 4 and Fellowship.objects.count() >= 3
    assert Appointment.objects.filter(end__isnull=True).exists()
    assert Appointment.objects.filter(end__isnull=False).exists()
    # Two pieces show the editorial workflow: one awaiting review, one scheduled.
    assert Publication.objects.filter(status="in_review").count() == 1
    assert [p.is_scheduled for p in Publication.objects.filter(status="published")].count(True) == 1
    assert Publication.objects.published().count() == Publication.objects.count() - 2


def test_the_demo_editor_can_log_into_the_admin(client, demo):
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "policy-analysis-demo", "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/publications/publication/").status_code == 200


def test_production_settings_refuse_demo_content(demo, settings):
    from django.core.management.base import CommandError

    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo")


# The demo content is two archives in the export's format, loaded by the archive importer.


def demo_archives():
    return {name: (DEMO_DIR / name).read_text(encoding="utf-8") for name in DEMO_FILES}


def test_the_demo_files_are_archives_in_the_one_format():
    for name, text in demo_archives().items():
        data = archive_loads(text, name)
        assert (data["format"], data["version"]) == (FORMAT, VERSION), name
        assert archive_dumps(data) == text, f"{name} is not written as archive_dumps writes"
    reference = json.loads(demo_archives()["reference_content.json"])
    assert [p["slug"] for p in reference["publications"]] == [SLUG]


def test_the_loaded_demo_exports_exactly_what_its_files_say(db):
    now = datetime.datetime(2026, 3, 1, 9, 30, 45, tzinfo=datetime.UTC)
    assert demo_content_load(now=now) > 0
    exported = archive_export()
    for name, text in demo_archives().items():
        for section, rows in archive_loads(text, name).items():
            if not isinstance(rows, list):
                continue
            key = by_name(section).key
            stored = {tuple(row[k] for k in key): row for row in exported[section]}
            for row in rows:
                found = stored[tuple(row[k] for k in key)]
                if row.get("publish_at") == "+P3D":  # three days after loading, to the minute
                    row["publish_at"] = "2026-03-04T09:30:00Z"
                assert {field: found[field] for field in row} == row, (name, section, row)


def test_the_demo_is_written_with_a_version_of_each_piece(demo):
    revision = Revision.objects.get()
    assert revision.comment == "Demo content loaded"
    pieces = Publication.objects.count()
    assert revision.version_set.filter(content_type__model="publication").count() == pieces
    assert VersionContent.objects.filter(revision=revision).count() == pieces
    piece = Publication.objects.get(slug=SLUG)
    assert piece.edit_count == 1
    assert piece.authorships.get().bio_line == (
        "Anna Borshchevskaya is an Ira Weiner Fellow at The Washington Institute."
    )


def test_loading_the_demo_again_leaves_editors_changes_alone(demo):
    piece = Publication.objects.get(slug=SLUG)
    piece.title = "An editor's title"
    piece.save()
    piece.topics.clear()
    Person.objects.filter(slug="anna-borshchevskaya").update(job_title="Edited")
    Publication.objects.get(slug="hezbollahs-rebuilding-after-the-ceasefire").delete()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo content: 1 objects created" in out.getvalue()  # only the deleted piece comes back
    piece.refresh_from_db()
    assert piece.title == "An editor's title" and not piece.topics.exists()
    assert Person.objects.get(slug="anna-borshchevskaya").job_title == "Edited"
    assert Publication.objects.filter(slug="hezbollahs-rebuilding-after-the-ceasefire").exists()
    call_command("load_demo", stdout=out)
    assert out.getvalue().endswith("password 'policy-analysis-demo'\n")
    assert "Demo content: 0 objects created" in out.getvalue().splitlines()[-3]


def test_a_bad_demo_file_is_refused_by_name_and_writes_nothing(db, tmp_path):
    data = json.loads(demo_archives()["sample_content.json"])
    data["publications"][0]["type"] = "no-such-type"
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        ArchiveError, match=r"(?s)Demo content broken\.json: .*no publication type 'no-such-type'"
    ):
        demo_content_load(files=("reference_content.json", str(bad)))
    assert not Publication.objects.exists() and not PublicationType.objects.exists()


def test_a_relative_publish_time_is_for_the_demo_only(db, tmp_path):
    text = demo_archives()["reference_content.json"].replace('"2015-11-30T14:00:00Z"', '"+P3D"')
    path = tmp_path / "archive.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(
        "- publications[0] (netanyahu-and-putin-rendezvous-in-paris): publish_at must be an ISO 8601 "
        "time, not '+P3D': a time relative to loading is for demo content only"
    )):  # fmt: skip
        call_command("import_publications", str(path), stdout=io.StringIO())
    assert not Publication.objects.exists()


def test_the_demo_has_long_pieces_with_a_table_of_contents(client, demo_site):
    from publications.models import Publication

    piece = Publication.objects.get(slug="irans-nuclear-threshold-verification-gaps-and-policy-options")
    html = client.get(piece.get_absolute_url()).content.decode()
    assert 'aria-label="Contents"' in html
    assert '<h2 id="policy-options">Policy options</h2>' in html
