"""What a feed reader or an aggregator reads in an entry and a channel, beyond the text."""

import feedparser
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from tests.factories import PublicationFactory, RegionFactory, TopicFactory

pytestmark = pytest.mark.django_db

FEEDS = ("/feeds/rss/", "/feeds/atom/")
SCHEMES = {
    "type": "http://testserver/policy-analysis/?type=",
    "topic": "http://testserver/topics/",
    "region": "http://testserver/regions/",
    "tag": "http://testserver/policy-analysis/#tags",
}
# The widest JPEG rendition of a 2400 × 1600 upload (core.pictures: 1280 px at most).
RENDITION = "http://testserver/media/renditions/publications/images/golan.jpg/1280x853.jpg"


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def piece(db):
    return PublicationFactory(
        topics=[TopicFactory(name="Military & Security", slug="military-security")],
        regions=[RegionFactory(name="Israel", slug="israel")],
        tags=["drones"],
        image="publications/images/golan.jpg",
        image_width=2400,
        image_height=1600,
        image_alt="The Golan Heights seen from the west",
    )


def by_scheme(entry):
    return {(tag.scheme, tag.get("label") or tag.term) for tag in entry.tags}


@pytest.mark.parametrize("url", FEEDS)
def test_each_category_names_its_vocabulary(client, piece, url):
    entry = parse(client, url).entries[0]
    assert by_scheme(entry) == {
        (SCHEMES["type"], "PolicyWatch"),
        (SCHEMES["topic"], "Military & Security"),
        (SCHEMES["region"], "Israel"),
        (SCHEMES["tag"], "drones"),
    }


def test_an_atom_category_is_the_terms_slug_with_its_name_as_label(client, piece):
    """The scheme and the term together make the term's own address: /topics/military-security/."""
    entry = parse(client, "/feeds/atom/").entries[0]
    topic = next(tag for tag in entry.tags if tag.scheme == SCHEMES["topic"])
    assert (topic.term, topic.label) == ("military-security", "Military & Security")
    assert client.get(f"/topics/{topic.term}/").status_code == 200


def test_a_topic_and_a_tag_of_the_same_name_are_told_apart(client):
    PublicationFactory(topics=[TopicFactory(name="Iran", slug="iran")], regions=[RegionFactory(name="Iran")])
    entry = parse(client, "/feeds/rss/").entries[0]
    assert {tag.scheme for tag in entry.tags if tag.term == "Iran"} == {SCHEMES["topic"], SCHEMES["region"]}


def test_rss_carries_the_lead_image_as_media_content(client, piece):
    entry = parse(client, "/feeds/rss/").entries[0]
    (image,) = entry.media_content
    assert image["url"] == RENDITION
    assert (image["type"], image["medium"], image["width"], image["height"]) == (
        "image/jpeg",
        "image",
        "1280",
        "853",
    )
    assert "The Golan Heights seen from the west" in client.get("/feeds/rss/").text


def test_atom_carries_the_lead_image_as_an_enclosure(client, piece):
    entry = parse(client, "/feeds/atom/").entries[0]
    (image,) = [link for link in entry.links if link.rel == "enclosure"]
    assert image.href == RENDITION
    assert image.type == "image/jpeg"


def test_a_piece_without_an_image_has_no_picture(client):
    PublicationFactory()
    rss = parse(client, "/feeds/rss/").entries[0]
    atom = parse(client, "/feeds/atom/").entries[0]
    assert "media_content" not in rss
    assert [link for link in atom.links if link.rel == "enclosure"] == []


def test_a_small_png_is_sent_as_its_widest_jpeg_never_enlarged(client):
    PublicationFactory(image="publications/images/map.png", image_width=800, image_height=600)
    image = parse(client, "/feeds/rss/").entries[0].media_content[0]
    assert image["url"] == "http://testserver/media/renditions/publications/images/map.png/640x480.jpg"
    assert (image["type"], image["width"]) == ("image/jpeg", "640")


def test_the_pdf_is_still_the_one_rss_enclosure_beside_the_image(client, piece):
    piece.pdf = "publications/pdf/golan.pdf"
    piece.save()
    entry = parse(client, "/feeds/rss/").entries[0]
    assert [link.type for link in entry.links if link.rel == "enclosure"] == ["application/pdf"]
    assert len(entry.media_content) == 1


def test_rss_names_the_channel_image_with_the_channels_title_and_link(client, piece):
    feed = parse(client, "/feeds/rss/").feed
    assert feed.image.href == "http://testserver/static/img/feed-icon.png"
    assert (feed.image.title, feed.image.link) == (feed.title, feed.link)
    assert (feed.image.width, feed.image.height) == (144, 144)
    assert finders.find("img/feed-icon.png")


def test_atom_names_an_icon_and_a_logo(client, piece):
    feed = parse(client, "/feeds/atom/").feed
    assert feed.icon == "http://testserver/static/img/feed-icon.png"
    assert feed.logo == "http://testserver/static/img/feed-logo.png"
    assert finders.find("img/feed-logo.png")


def test_the_channel_images_are_the_sizes_feed_readers_expect():
    folder = settings.BASE_DIR / "static" / "img"
    assert Image.open(folder / "feed-icon.png").size == (144, 144)  # square, RSS's widest
    width, height = Image.open(folder / "feed-logo.png").size
    assert width == 2 * height  # Atom's logo: twice as wide as high
