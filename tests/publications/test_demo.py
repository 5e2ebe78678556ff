"""The demo content: the reference piece exactly as captured, and a loader that can run twice."""

import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from people.models import Appointment, Fellowship, Person
from publications.models import Publication, PublicationType

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "demo" / "netanyahu-putin-rendezvous-in-paris.md"
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


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared/demo is not beside this checkout")
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
