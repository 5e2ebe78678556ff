"""Pictures: renditions made once per upload, drawn as <picture>, hidden with a hidden piece."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from core import pictures
from people.models import Person
from publications.demo.images import CREDIT, LEADS, PORTRAITS, demo_images_ensure
from publications.models import Publication
from publications.services import publication_publish
from publications.services.state import publication_state

from ..editorial.services_support import save
from ..factories import PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def stored_image(name, size=(1500, 1000), color="#3366aa"):
    """Store a PNG under a fresh name and return the name storage gave it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def stored_files(folder="renditions"):
    dirs, files = default_storage.listdir(folder)
    return {f"{folder}/{f}" for f in files}.union(*(stored_files(f"{folder}/{d}") for d in dirs))


def opened(name):
    with default_storage.open(name) as file:
        image = Image.open(file)
        image.load()
        return image


@pytest.fixture
def editor(make_user):
    return make_user("edith", "Editors")


def pictured_piece(editor, **fields):
    """A piece saved through the write path with a new 1500 × 1000 image."""
    piece = PublicationFactory(**fields)
    name = stored_image("publications/images/map.png")
    return save(piece, editor, publication_state(piece), image=name, image_alt="A map of the region"), name


def test_saving_a_piece_with_a_new_image_makes_avif_webp_and_jpeg_renditions_of_each_width(editor):
    piece, name = pictured_piece(editor)
    piece.refresh_from_db()
    assert (piece.image_width, piece.image_height) == (1500, 1000)
    for width, height in ((320, 213), (640, 427), (960, 640), (1280, 853)):
        for ext, kind in (("avif", "AVIF"), ("webp", "WEBP"), ("jpg", "JPEG")):
            image = opened(f"renditions/{name}/{width}x{height}.{ext}")
            assert (image.format, image.size) == (kind, (width, height))
    social = opened(f"renditions/{name}/1200x630.jpg")
    assert (social.format, social.size) == ("JPEG", (1200, 630))


def test_a_small_image_is_never_enlarged():
    name = stored_image("publications/images/small.png", size=(500, 300))
    pictures.prepare(name)
    assert opened(f"renditions/{name}/320x192.avif").size == (320, 192)
    assert not default_storage.exists(f"renditions/{name}/640x384.avif")
    data = pictures.picture_data(name, width=500, height=300)
    assert (data.width, data.height) == (320, 192)


def test_replacing_an_image_makes_new_renditions_and_the_page_shows_them(client, editor):
    piece, first = pictured_piece(editor)
    second = stored_image("publications/images/map.png", color="#aa3333")
    assert second != first
    save(piece, editor, publication_state(piece), image=second)
    red, _green, blue = opened(f"renditions/{second}/640x427.jpg").getpixel((10, 10))
    assert red > 150 and blue < 100
    page = client.get(piece.get_absolute_url()).text
    assert f"renditions/{second}/640x427.avif 640w" in page and f"renditions/{first}/" not in page


def test_a_source_name_used_again_gets_its_renditions_drawn_again():
    name = stored_image("publications/images/again.png", color="#3366aa")
    pictures.prepare(name)
    default_storage.delete(name)
    assert stored_image("publications/images/again.png", color="#aa3333") == name
    pictures.prepare(name)
    red, _green, _blue = opened(f"renditions/{name}/320x213.jpg").getpixel((10, 10))
    assert red > 150


def test_the_piece_page_draws_the_lead_image_from_its_renditions(client, editor):
    piece, name = pictured_piece(editor, image_credit="Map: the Institute")
    page = client.get(piece.get_absolute_url()).text
    (figure,) = re.findall(r'<figure class="piece__image">(.*?)</figure>', page, re.S)
    assert f'<source type="image/avif" srcset="/media/renditions/{name}/320x213.avif 320w' in figure
    assert '<source type="image/webp"' in figure and "sizes=" in figure
    (img,) = re.findall(r"<img [^>]+>", figure)
    assert 'width="1280" height="853"' in img and 'alt="A map of the region"' in img
    assert 'fetchpriority="high"' in img and "loading=" not in img and 'decoding="async"' in img
    assert "Map: the Institute" in figure
    assert f'property="og:image" content="http://testserver/media/renditions/{name}/1200x630.jpg"' in page


def test_cards_carry_thumbnails_with_their_size_and_are_lazy_below_the_first(client, editor):
    for _ in range(3):
        pictured_piece(editor)
    page = client.get("/policy-analysis/").text
    thumbs = re.findall(r'<img [^>]*class="card__thumb"[^>]*>', page)
    assert len(thumbs) == 3
    for thumb in thumbs:
        assert 'srcset="' in thumb and 'sizes="' in thumb and 'width="640" height="427"' in thumb
        assert 'alt=""' in thumb  # the headline beside it says what the card is
        assert 'loading="lazy"' in thumb


def test_the_home_pages_first_card_is_not_lazy_and_its_excerpt_ends_a_sentence(client, editor):
    body = "".join(f"<p>Sentence number {n} says something about the region.</p>" for n in range(40))
    pictured_piece(editor, is_featured=True, body=body)
    page = client.get("/").text
    (image,) = re.findall(r'<img [^>]*class="card__image"[^>]*>', page)
    assert "loading=" not in image and 'fetchpriority="high"' in image
    (excerpt,) = re.findall(r'<p class="card__summary card__summary--more">([^<]+)</p>', page)
    assert excerpt.endswith("about the region.") and "…" not in excerpt


def test_a_card_without_an_image_has_no_picture(client):
    PublicationFactory()
    page = client.get("/policy-analysis/").text
    assert "card--pictured" not in page and "<picture>" not in page


def test_portraits_on_the_expert_page_and_the_experts_list(client):
    name = stored_image("people/anna.png", size=(600, 800))
    person = PersonFactory(is_expert=True, photo=name, photo_credit="Photo: the Institute")
    pictures.prepare(name, (pictures.PORTRAIT,))
    assert opened(f"renditions/{name}/480x480.avif").size == (480, 480)
    page = client.get(person.get_absolute_url()).text
    (img,) = re.findall(r'<img [^>]*class="person-header__photo"[^>]*>', page)
    assert f"/media/renditions/{name}/160x160.avif 160w" in page
    assert 'width="480" height="480"' in img and "loading=" not in img
    assert "Photo: the Institute" in page
    listing = client.get("/experts/").text
    (card_img,) = re.findall(r'<img [^>]*class="person-card__photo"[^>]*>', listing)
    assert 'srcset="' in card_img and 'width="320" height="320"' in card_img


def test_pictures_cost_no_query_and_make_no_file_on_a_readers_request(client, editor):
    PublicationFactory.create_batch(4)
    with CaptureQueriesContext(connection) as plain:
        client.get("/policy-analysis/")
    Publication.objects.all().delete()
    for _ in range(4):
        pictured_piece(editor)
    before = stored_files()
    with CaptureQueriesContext(connection) as pictured:
        page = client.get("/policy-analysis/").text
    assert page.count("<picture>") == 4
    assert len(pictured) == len(plain)
    assert stored_files() == before


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_a_hidden_pieces_renditions_are_not_public_until_it_is(client, editor, status):
    piece, name = pictured_piece(editor, status=status, publish_at=None)
    rendition = f"/media/renditions/{name}/640x427.avif"
    assert client.get(rendition).status_code == 404
    assert client.get(f"/media/renditions/{name}/1200x630.jpg").status_code == 404
    client.force_login(editor)
    response = client.get(rendition)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    client.logout()
    publication_publish(publication=Publication.objects.get(pk=piece.pk), user=editor)
    response = client.get(rendition)
    assert response.status_code == 200 and response["Content-Type"] == "image/avif"
    assert "public" in response["Cache-Control"]


def test_a_rendition_of_an_image_no_piece_has_is_not_public(client):
    name = stored_image("publications/images/stray.png")
    pictures.prepare(name)
    assert client.get(f"/media/renditions/{name}/320x213.jpg").status_code == 404
    assert client.get("/media/renditions/publications/images/stray.png/nonsense.jpg").status_code == 404


def test_a_portraits_renditions_are_public(client):
    name = stored_image("people/jo.png", size=(400, 400))
    PersonFactory(photo=name)
    pictures.prepare(name, (pictures.PORTRAIT,))
    assert client.get(f"/media/renditions/{name}/160x160.webp").status_code == 200


def test_the_demo_has_illustrated_lead_images_and_portraits_with_credits(demo_site, client):
    pictured = Publication.objects.exclude(image="")
    assert set(pictured.values_list("image", flat=True)) == set(LEADS)
    assert pictured.filter(slug="netanyahu-and-putin-rendezvous-in-paris").exists()
    for piece in pictured:
        assert piece.image_alt.startswith(f"{CREDIT}:") and piece.image_credit == CREDIT
        assert (piece.image_width, piece.image_height) == opened(piece.image.name).size
        assert default_storage.exists(f"renditions/{piece.image.name}/640x360.avif")
    people = Person.objects.all()
    assert {person.photo.name for person in people} == set(PORTRAITS)
    assert all(person.photo_credit == CREDIT for person in people)
    reference = client.get("/policy-analysis/netanyahu-and-putin-rendezvous-in-paris/").text
    assert f'<figcaption class="picture-credit">{CREDIT}</figcaption>' in reference
    assert demo_images_ensure() == 0  # a second load draws nothing
