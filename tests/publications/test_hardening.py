"""Regressions from review: odd input, pasted control characters, hosts, languages, history."""

import datetime

import feedparser
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from people.models import Appointment, indefinite_article
from publications import services
from publications.models import Publication
from tests.factories import (
    AppointmentFactory,
    FellowshipFactory,
    PersonFactory,
    PublicationFactory,
    staff_editor,
)

pytestmark = pytest.mark.django_db


def test_pasted_control_characters_are_stripped_and_feeds_still_work(client):
    piece = PublicationFactory(title="Pasted\x0btitle", summary="Dek\x0c", body="<p>Body\x00 text</p>")
    piece.refresh_from_db()
    assert (piece.title, piece.summary, piece.body) == ("Pastedtitle", "Dek", "<p>Body text</p>")
    for url in ("/feeds/rss/", "/feeds/atom/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not feedparser.parse(response.content).bozo


@pytest.mark.parametrize("value", ["a\x00b", "x" * 5000, "policy watch", "../../etc"])
def test_a_malformed_type_filter_is_a_400_on_every_database(client, value):
    response = client.get("/policy-analysis/", {"type": value})
    assert response.status_code == 400
    assert "\x00" not in response.text


def test_the_bio_line_is_drafted_on_the_publish_date_not_when_the_draft_was_written():
    person = PersonFactory(name="Anna Example", job_title="")
    now = timezone.now()
    AppointmentFactory(
        person=person,
        fellowship=FellowshipFactory(holder_title="Ira Weiner Fellow"),
        start=datetime.date(2015, 1, 1),
        end=timezone.localdate(now) + datetime.timedelta(days=5),
    )
    AppointmentFactory(
        person=person,
        fellowship=FellowshipFactory(holder_title="Senior Fellow"),
        start=timezone.localdate(now) + datetime.timedelta(days=6),
    )
    draft = PublicationFactory(status=Publication.Status.DRAFT, publish_at=None, authors=[person])
    assert draft.authorships.get().bio_line == ""
    services.publication_schedule(
        publication=draft, user=staff_editor(), publish_at=now + datetime.timedelta(days=10)
    )
    assert draft.authorships.get().bio_line == "Anna Example is a Senior Fellow at The Washington Institute."


def test_the_page_language_does_not_follow_the_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert '<html lang="en">' in response.text
    assert "Accept-Language" not in response.get("Vary", "")


def test_excerpts_decode_entities_and_keep_paragraphs_apart(client):
    PublicationFactory(summary="", body="<p>U.S. &amp; Israel&nbsp;agree.</p><p>Second</p>")
    text = client.get("/policy-analysis/").text
    assert "U.S. &amp; Israel agree. Second" in text
    assert "&amp;amp;" not in text and "&amp;nbsp;" not in text


def test_feed_ids_and_canonical_links_use_site_url_whatever_the_host(client, settings):
    settings.SITE_URL = "https://www.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "example.org"]
    piece = PublicationFactory(body='<p><a href="/experts/x/">x</a> <img src="/media/m.png" alt="m"></p>')
    for host in ("testserver", "example.org"):
        feed = feedparser.parse(client.get("/feeds/atom/", HTTP_HOST=host).content)
        assert feed.entries[0].id == f"https://www.example.org/p/{piece.pk}/"
        assert [link.href for link in feed.feed.links if link.rel == "self"] == [
            "https://www.example.org/feeds/atom/"
        ]
        content = feed.entries[0].content[0].value
        assert 'href="https://www.example.org/experts/x/"' in content
        assert 'src="https://www.example.org/media/m.png"' in content
        page = client.get(piece.get_absolute_url(), HTTP_HOST=host).text
        assert f'<link rel="canonical" href="https://www.example.org{piece.get_absolute_url()}">' in page


def test_the_canonical_link_keeps_page_and_type_and_drops_tracking(client):
    PublicationFactory.create_batch(21)
    tracked = client.get("/policy-analysis/", {"page": 2, "type": "policywatch", "utm_source": "x"})
    assert tracked.status_code == 301
    text = client.get(tracked["Location"]).text
    assert (
        '<link rel="canonical" href="http://testserver/policy-analysis/?type=policywatch&amp;page=2">' in text
    )


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feeds_answer_conditional_requests_with_304(client, url):
    PublicationFactory()
    first = client.get(url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_staff_cannot_delete_fellowship_history(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="people"))
    client.force_login(editor)
    appointment = AppointmentFactory(end=datetime.date(2014, 12, 31))
    response = client.post(reverse("admin:people_appointment_delete", args=[appointment.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Appointment.objects.filter(pk=appointment.pk).exists()
    person_page = client.get(reverse("admin:people_person_change", args=[appointment.person.pk])).text
    assert "appointments-0-DELETE" not in person_page


@pytest.mark.parametrize(
    ("title", "article"),
    [
        ("Ira Weiner Fellow", "an"),
        ("European Fellow", "a"),
        ("U.S. Fellow", "a"),
        ("Honorary Fellow", "an"),
        ("Senior Fellow", "a"),
        ("Associate", "an"),
    ],
)
def test_bio_lines_use_the_right_article(title, article):
    assert indefinite_article(title) == article
