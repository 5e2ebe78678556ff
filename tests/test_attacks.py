"""Hardening, round two: each finding written as the attacker's request.

A forged or empty Host, a port the site is not served on, 1,001 query fields, a plain-http request
poisoning the https pages, a junk session cookie, random query strings, an interleaved sign-in,
a draft's media address, and a rejected ``?next=``. (An interleaved sign-in:
tests/test_security.py; malicious archives and uploads: tests/publications/test_archive.py and
tests/test_uploads.py; several real workers: tests/test_workers.py.)
"""

import logging

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from people.models import Person
from publications import services
from publications.models import Publication
from tests.factories import PersonFactory, PublicationFactory, staff_editor

pytestmark = pytest.mark.django_db

BAD_REQUEST = "We couldn’t understand that request"
PUBLIC_PATHS = ["/", "/policy-analysis/", "/feeds/rss/", "/feeds/atom/", "/nope/"]


# 3. Bad requests are 400 pages, not 500s --------------------------------------------------------


@pytest.mark.parametrize("host", ["attacker-host.test", "", "[::1]", "testserver:9999", "testserver:abc"])
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_a_forged_host_header_gets_the_400_page(client, production_checks, caplog, path, host):
    PublicationFactory(title="A public piece")
    with caplog.at_level(logging.WARNING):
        response = client.get(path, headers={"host": host})
    assert response.status_code == 400
    assert BAD_REQUEST in response.text and "Something went wrong" not in response.text
    assert host not in response.text or not host  # the forged host is not echoed back
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert any(record.name == "django.security.DisallowedHost" for record in caplog.records)


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_more_than_a_thousand_query_fields_get_the_400_page(client, production_checks, caplog, path):
    with caplog.at_level(logging.WARNING):
        response = client.get(path, QUERY_STRING="&".join(["a"] * 1_001))
    assert response.status_code == 400
    assert BAD_REQUEST in response.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    # A thousand are still read (the limit is Django's DATA_UPLOAD_MAX_NUMBER_FIELDS), and since no
    # page reads them, answered by the address without them.
    response = client.get("/policy-analysis/", QUERY_STRING="&".join(["a"] * 1_000))
    assert response.status_code == 301 and response["Location"] == "/policy-analysis/"


@pytest.mark.parametrize("year", ["0", "10000", "99999999999", "abc", "-1", "1999"])
def test_the_admin_year_filter_lists_nothing_for_a_year_without_pieces(client, year):
    PublicationFactory(title="A piece of this year")
    client.force_login(staff_editor())
    response = client.get("/admin/publications/publication/", {"year": year})
    assert response.status_code == 200
    assert "A piece of this year" not in response.text
    assert "0 publications" in response.text


# 4. The page cache: schemes, cookies, query strings, ports ---------------------------------------


def test_a_plain_http_request_does_not_give_https_readers_http_links(client, production_checks):
    PublicationFactory(title="A public piece")
    assert "http://testserver/" in client.get("/?page=1").text  # the attacker's plain request
    for _ in range(8):
        response = client.get("/?page=1", secure=True)
        assert "http://testserver" not in response.text
        assert 'href="https://testserver/"' in response.text  # the canonical link
    assert response["X-Cache"] == "hit"  # https readers share their own cached copy


def test_a_junk_session_cookie_is_served_from_the_cache(client, production_checks):
    PublicationFactory(title="A public piece")
    client.get("/policy-analysis/")
    client.cookies["sessionid"] = "junk-that-is-no-session"
    response = client.get("/policy-analysis/")
    assert response.status_code == 200 and response["X-Cache"] == "hit"


def test_a_signed_in_editor_is_never_served_a_cached_page(client, production_checks):
    PublicationFactory(title="A public piece")
    client.get("/policy-analysis/")
    client.force_login(staff_editor())
    response = client.get("/policy-analysis/")
    assert response.status_code == 200 and "X-Cache" not in response


def test_random_query_strings_neither_miss_nor_show_up_in_the_page(client, production_checks):
    piece = PublicationFactory(title="A public piece")
    topic = piece.topics.create(name="Iran", slug="iran")
    first = client.get("/policy-analysis/", {"topic": "iran"})
    assert first["X-Cache"] == "miss" and topic.name in first.text
    # Anything else is answered by the address without it (and the edge keeps no copy of that).
    junks = ("utm_source=newsletter", "cachebuster=1", "cachebuster=2", "x=<b>", "_=123456", "topic=iran")
    for junk in junks:
        response = client.get("/policy-analysis/", QUERY_STRING=f"{junk}&topic=iran")
        assert response.status_code == 301 and response["Location"] == "/policy-analysis/?topic=iran", junk
        assert "public" not in response.get("Cache-Control", "")
        assert "cachebuster" not in response.text and "<b>" not in response.text
        assert client.get(response["Location"])["X-Cache"] == "hit"
    # The parameters a page reads still make their own entries.
    assert client.get("/policy-analysis/", {"topic": "iran", "sort": "oldest"})["X-Cache"] == "miss"
    moved = client.get("/policy-analysis/", QUERY_STRING="topic=iran&sort=oldest&x=1")
    assert moved["Location"] == "/policy-analysis/?topic=iran&sort=oldest"


def test_a_port_the_site_is_not_served_on_stays_out_of_feed_links(client, production_checks):
    PublicationFactory(title="A public piece")
    assert client.get("/feeds/atom/", headers={"host": "127.0.0.1:9999"}).status_code == 400
    production_checks.ALLOWED_HOST_PORTS = ["8000"]
    feed = feedparser.parse(client.get("/feeds/atom/", headers={"host": "127.0.0.1:8000"}).content)
    assert feed.entries[0].link.startswith("http://127.0.0.1:8000/")
    production_checks.SITE_URL = "https://www.example.org"
    feed = feedparser.parse(client.get("/feeds/rss/", headers={"host": "127.0.0.1:8000"}).content)
    assert feed.entries[0].link.startswith("https://www.example.org/")


# 5. Embargoed files ----------------------------------------------------------------------------


@pytest.fixture
def roles(make_user):
    return {
        "carla": make_user("carla", "Contributors"),
        "colin": make_user("colin", "Contributors"),
        "edith": make_user("edith", "Editors"),
    }


def stored(name, content=b"%PDF-1.7 embargoed report"):
    return default_storage.save(name, ContentFile(content))


def fetch(client, name, user=None):
    client.logout()
    if user:
        client.force_login(user)
    return client.get(f"/media/{name}")


@pytest.mark.parametrize(
    "status, days", [("draft", None), ("in_review", None), ("published", 2), ("archived", -30)]
)
def test_a_hidden_pieces_files_are_only_for_staff_who_may_see_it(client, roles, status, days):
    import datetime

    from django.utils import timezone

    pdf, image = stored("publications/pdf/embargoed.pdf"), stored("publications/images/embargoed.png", b"png")
    PublicationFactory(
        title="Embargoed report",
        status=status,
        publish_at=timezone.now() + datetime.timedelta(days=days) if days is not None else None,
        created_by=roles["carla"],
        pdf=pdf,
        image=image,
    )
    for name in (pdf, image):
        anonymous = fetch(client, name)
        assert anonymous.status_code == 404 and b"embargoed report" not in anonymous.content
        assert fetch(client, name, roles["colin"]).status_code == 404  # another contributor
        for user in (
            (roles["edith"], roles["carla"]) if status in ("draft", "in_review") else [roles["edith"]]
        ):
            response = fetch(client, name, user)
            assert response.status_code == 200, (user, name)
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(fetch(client, pdf, roles["edith"]).streaming_content) == b"%PDF-1.7 embargoed report"


def test_a_public_pieces_files_are_public_until_it_is_unpublished(client, roles, django_assert_num_queries):
    pdf = stored("publications/pdf/report.pdf")
    piece = PublicationFactory(title="Public report", pdf=pdf)
    with django_assert_num_queries(1):  # the piece holding it; no app but publications is asked
        response = client.get(f"/media/{pdf}")
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    services.publication_unpublish(publication=Publication.objects.get(pk=piece.pk), user=staff_editor())
    assert fetch(client, pdf).status_code == 404
    assert fetch(client, pdf, roles["edith"]).status_code == 200


def test_a_file_no_piece_holds_is_for_editors_only(client, roles):
    name = stored("publications/pdf/replaced-draft.pdf")
    assert fetch(client, name).status_code == 404
    assert fetch(client, name, roles["carla"]).status_code == 404
    assert fetch(client, name, roles["edith"]).status_code == 200
    assert fetch(client, "publications/pdf/never-uploaded.pdf", roles["edith"]).status_code == 404
    assert fetch(client, "../config/settings/base.py", roles["edith"]).status_code == 404


def test_portraits_are_public(client):
    photo = stored("people/portrait.png", b"png")
    PersonFactory(name="Sample Expert", photo=photo)
    assert Person.objects.filter(photo=photo).exists()
    assert fetch(client, photo).status_code == 200


def test_the_proxy_sends_files_when_told_to(client, roles, settings):
    pdf = stored("publications/pdf/embargoed.pdf")
    PublicationFactory(title="Draft", status="draft", publish_at=None, pdf=pdf)
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    assert fetch(client, pdf).status_code == 404  # the check still comes first
    response = fetch(client, pdf, roles["edith"])
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{pdf}"
    settings.MEDIA_ACCEL_REDIRECT_PREFIX, settings.MEDIA_SENDFILE = "", True
    assert fetch(client, pdf, roles["edith"])["X-Sendfile"].endswith(f"/media/{pdf}")


# 7. Smaller ---------------------------------------------------------------------------------------


def test_a_sign_in_with_a_rejected_next_lands_on_the_admin(client):
    password = "a-long-test-password"
    get_user_model().objects.create_user("editor", password=password, is_staff=True)
    response = client.post(
        "/admin/login/?next=https://attacker-host.test/",
        {"username": "editor", "password": password, "next": "https://attacker-host.test/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
