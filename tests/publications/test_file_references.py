"""A broken file reference never breaks a public page or feed, nor becomes a link elsewhere.

The names here are written straight to the database (``queryset.update``), as a bad import, a
hand-edited row or a restored dump would: nothing on the way in checked them.
"""

import json
import re

import feedparser
import pytest

from core.uploads import media_name_problem
from people.models import Person
from publications.models import Publication
from tests.factories import PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db

FEEDS = ("/feeds/rss/", "/feeds/atom/")
BAD_PDF_NAMES = [
    "../../etc/passwd",
    "publications/pdf/../../../etc/passwd",
    "//evil.example/x.pdf",
    "/etc/passwd",
    "https://evil.example/x.pdf",
    "javascript:alert(1)",
    "publications\\pdf\\..\\..\\settings.py",
    "publications/pdf/x\x1b.pdf",  # a control character (PostgreSQL cannot even store NUL)
    "elsewhere/report.pdf",
]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def enclosures(feed, title):
    (entry,) = [entry for entry in feed.entries if entry.title == title]
    return [enclosure.href for enclosure in entry.get("enclosures", [])]


def jsonld(page):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


@pytest.mark.parametrize("name", BAD_PDF_NAMES)
def test_a_piece_with_an_unsafe_pdf_name_keeps_every_feed_working_without_an_enclosure(client, name):
    PublicationFactory(title="Bad file", slug="bad-file")
    PublicationFactory(title="Good file", slug="good-file", pdf="publications/pdf/good.pdf")
    Publication.objects.filter(slug="bad-file").update(pdf=name)
    for url in FEEDS:
        feed = parse(client, url)
        assert enclosures(feed, "Bad file") == [], url
        # The good piece keeps its enclosure, though its file is not on disk (no length, no failure).
        (good,) = enclosures(feed, "Good file")
        assert good.startswith("http://testserver/") and good.endswith("/publications/pdf/good.pdf"), url
        text = client.get(url).text
        assert "passwd" not in text and "evil.example" not in text and "javascript:" not in text, url


@pytest.mark.parametrize("name", BAD_PDF_NAMES)
def test_a_piece_with_an_unsafe_pdf_name_has_a_detail_page_without_the_link(client, name):
    piece = PublicationFactory(title="Bad file", slug="bad-file")
    Publication.objects.filter(pk=piece.pk).update(pdf=name)
    response = client.get(piece.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    assert "Download the PDF" not in page
    assert "passwd" not in page and "evil.example" not in page and "settings.py" not in page


def test_a_safe_pdf_name_still_gets_its_download_link(client):
    piece = PublicationFactory(pdf="publications/pdf/report.pdf")
    page = client.get(piece.get_absolute_url()).text
    assert re.search(
        r'<p class="download"><a href="[^"]*/publications/pdf/report\.pdf">Download the PDF</a></p>', page
    )


@pytest.mark.parametrize(
    "name", ["//host/x.png", "../../etc/passwd", "https://host/x.png", "people/anna.jpg"]
)
def test_a_piece_with_an_unsafe_image_name_shows_no_image_anywhere(client, name):
    piece = PublicationFactory(image_alt="A map")
    Publication.objects.filter(pk=piece.pk).update(image=name, image_width=10, image_height=10)
    response = client.get(piece.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    assert 'class="piece__image"' not in page and 'property="og:image"' not in page
    assert "image" not in jsonld(page)
    assert "host/x.png" not in page and "passwd" not in page and "anna.jpg" not in page


def test_a_safe_image_is_shown_as_before(client):
    piece = PublicationFactory(image_alt="A map")
    Publication.objects.filter(pk=piece.pk).update(
        image="publications/images/map.png", image_width=1200, image_height=800
    )
    page = client.get(piece.get_absolute_url()).text
    # Drawn from its renditions (core/pictures.py), named after the stored file.
    (src,) = re.findall(
        r'<figure class="piece__image"><picture>.*?<img src="([^"]+)"[^>]*'
        r' width="960" height="640" alt="A map"',
        page,
    )
    assert src.endswith("/renditions/publications/images/map.png/960x640.jpg")  # never enlarged
    assert re.search(
        r'<meta property="og:image" content="http://testserver[^"]*/renditions/publications/images/map\.png/'
        r'1200x630\.jpg">',
        page,
    )
    assert jsonld(page)["image"].endswith("/media/publications/images/map.png")


@pytest.mark.parametrize("name", ["../../etc/passwd", "//host/x.png", "publications/images/x.png"])
def test_an_expert_with_an_unsafe_photo_name_has_a_page_without_the_photo(client, name):
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(photo=name)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    assert "person-header__photo" not in page and "image" not in jsonld(page)
    assert "passwd" not in page and "host/x.png" not in page and "images/x.png" not in page


def test_an_expert_with_a_safe_photo_name_keeps_the_photo(client):
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(photo="people/anna.jpg")
    page = client.get(person.get_absolute_url()).text
    (src,) = re.findall(r'<img src="([^"]+)"[^>]* class="person-header__photo"', page)
    assert src.endswith("/renditions/people/anna.jpg/480x480.jpg")
    assert jsonld(page)["image"].endswith("/media/people/anna.jpg")


@pytest.mark.parametrize(
    "name",
    ["publications/pdf/report.pdf", "publications/pdf/2024/report_x1Yz.pdf", "publications/pdf/مقال.pdf"],
)
def test_a_plain_name_in_its_folder_is_safe(name):
    assert media_name_problem(name, "publications/pdf/") is None


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "it is empty"),
        ("../../../../etc/passwd", "it has a “.” or “..” part"),
        ("publications/pdf/./x.pdf", "it has a “.” or “..” part"),
        ("/etc/passwd", "it starts with a slash"),
        ("//host/x.pdf", "it starts with a slash"),
        ("publications/pdf//x.pdf", "it has an empty part"),
        ("publications/pdf/", "it has an empty part"),
        ("\\\\host\\x.pdf", "it contains a backslash"),
        ("https://host/x.pdf", "it is an address, not a file name"),
        ("C:x.pdf", "it is an address, not a file name"),
        ("publications/pdf/x\x00.pdf", "it contains a control character"),
        ("publications/pdf/x\x85.pdf", "it contains a control character"),
        ("publications/pdf/" + "a" * 250, "it is longer than 255 characters"),
        ("people/x.pdf", "it is not in the folder publications/pdf/"),
    ],
)
def test_an_unsafe_name_is_refused_with_the_reason(name, problem):
    assert media_name_problem(name, "publications/pdf/").startswith(problem)


def test_a_pdf_in_a_bucket_is_enclosed_at_the_buckets_address(client, monkeypatch):
    from django.db.models.fields.files import FieldFile

    PublicationFactory(title="Bucket report", pdf="publications/pdf/report.pdf")
    monkeypatch.setattr(FieldFile, "url", property(lambda f: f"https://media.example.org/{f.name}"))
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    assert [e.href for e in feed.entries[0].enclosures] == [
        "https://media.example.org/publications/pdf/report.pdf"
    ]
