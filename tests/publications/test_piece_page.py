"""The piece page's reading aids: reading time, contents, share links, more from the author, bio links."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publications.models import Publication
from tests.factories import AppointmentFactory, FellowshipFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def page(client, piece):
    response = client.get(piece.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def words(n):
    return "<p>" + " ".join(["word"] * n) + "</p>"


def body_with_headings(*headings):
    return "".join(f"<{level}>{text}</{level}>{words(20)}" for level, text in headings)


# Reading time


@pytest.mark.parametrize(("n", "shown"), [(1380, "6 min read"), (40, "1 min read"), (0, "1 min read")])
def test_the_meta_line_shows_the_reading_time_at_230_words_a_minute(client, n, shown):
    piece = PublicationFactory(body=words(n))
    assert page(client, piece).select_one(".piece__meta .piece__reading-time").text == shown


def test_markup_is_not_counted_as_words():
    piece = Publication(body='<p><a href="https://example.org/a/long/address">two words</a></p>' * 230)
    assert piece.reading_minutes == 2


# Contents


def test_a_piece_with_two_headings_has_no_contents(client):
    piece = PublicationFactory(body=body_with_headings(("h2", "One"), ("h2", "Two")))
    soup = page(client, piece)
    assert soup.select_one('nav[aria-label="Contents"]') is None
    assert [h["id"] for h in soup.select(".prose h2")] == ["one", "two"]  # still linkable


def test_three_headings_get_a_contents_linking_each_to_a_unique_id(client):
    piece = PublicationFactory(
        body=body_with_headings(
            ("h2", "Background"), ("h3", "The <em>2015</em> deal"), ("h2", "Background"), ("h2", "Main")
        )
    )
    soup = page(client, piece)
    nav = soup.select_one('nav[aria-label="Contents"]')
    top = [li.find("a", recursive=False) for li in nav.select(".contents__list > li")]
    assert [(a.text, a["href"]) for a in top] == [
        ("Background", "#background"),
        ("Background", "#background-2"),
        ("Main", "#main-2"),  # the page's <main> keeps its id
    ]
    assert [(a.text, a["href"]) for a in nav.select(".contents__list ol a")] == [
        ("The 2015 deal", "#the-2015-deal")
    ]
    for link in nav.select("a"):
        target = soup.find(id=link["href"][1:])
        assert target is not None and target.name in ("h2", "h3") and target.find_parent(class_="prose")
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids))


def test_an_empty_heading_is_no_entry_in_the_contents(client):
    piece = PublicationFactory(body=body_with_headings(("h2", "A"), ("h2", "<br>"), ("h2", "B"), ("h2", "C")))
    links = page(client, piece).select('nav[aria-label="Contents"] a')
    assert [a.text for a in links] == ["A", "B", "C"]


def test_heading_ids_are_added_on_the_page_not_stored():
    piece = PublicationFactory(body=body_with_headings(("h2", "A"), ("h2", "B"), ("h2", "C")))
    piece.refresh_from_db()
    assert "id=" not in piece.body


# Share links


def share_links(soup):
    return {a["class"][1].removeprefix("share__link--"): a for a in soup.select(".share a.share__link")}


def test_share_links_carry_the_encoded_title_and_address(client):
    title = "Iran & the “Snapback”: what’s next? #1"
    piece = PublicationFactory(title=title)
    links = share_links(page(client, piece))
    url, short = f"{SITE}{piece.get_absolute_url()}", f"{SITE}{piece.get_short_url()}"

    def query(key):
        href = links[key]["href"]
        assert " " not in href and "“" not in href  # percent-encoded, spaces as %20
        return parse_qs(urlsplit(href).query)

    assert links["email"]["href"].startswith("mailto:?")
    assert query("email") == {"subject": [title], "body": [short]}
    assert links["x"]["href"].startswith("https://x.com/intent/post?")
    assert query("x") == {"url": [url], "text": [title]}
    assert query("linkedin") == {"url": [url]}
    assert links["facebook"]["href"].startswith("https://www.facebook.com/sharer/sharer.php?")
    assert query("facebook") == {"u": [url]}
    assert links["bluesky"]["href"].startswith("https://bsky.app/intent/compose?")
    assert query("bluesky") == {"text": [f"{title} {url}"]}


def test_share_links_have_names_and_open_nothing_of_theirs(client):
    soup = page(client, PublicationFactory())
    links = share_links(soup)
    names = {key: " ".join(a.get_text(" ").split()) for key, a in links.items()}
    assert names == {
        "email": "Share by Email",
        "x": "Share on X",
        "linkedin": "Share on LinkedIn",
        "facebook": "Share on Facebook",
        "bluesky": "Share on Bluesky",
    }
    assert all(a["rel"] == ["noopener"] for a in links.values())
    assert not soup.select(".share iframe, .share script")


def test_copy_link_is_hidden_until_script_finds_a_clipboard(client):
    piece = PublicationFactory()
    item = page(client, piece).select_one(".share__copy")
    assert item.has_attr("hidden")
    assert item.button["data-url"] == f"{SITE}{piece.get_absolute_url()}"


def test_a_preview_offers_no_share_links(admin_client):
    draft = PublicationFactory(status=Publication.Status.DRAFT, publish_at=None)
    soup = BeautifulSoup(admin_client.get(draft.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".preview-banner") and soup.select_one(".share") is None


# More from the author


def test_more_from_the_first_author_lists_their_newest_other_public_pieces(client, hidden_pieces):
    author = hidden_pieces[0].authors.get()
    piece = PublicationFactory(authors=[author], title="This piece")
    others = [PublicationFactory(authors=[author], title=f"Other {i}") for i in range(5)]
    PublicationFactory(authors=[PersonFactory()], title="Someone else's")
    soup = page(client, piece)
    section = soup.select_one(".more-from")
    assert section.h2.text == "More from Hidden Author"
    titles = [a.text for a in section.select(".card__title a")]
    assert titles == [p.title for p in others[:3]]  # the newest first (the factory dates them older)
    assert section.select_one(".more-from__all a")["href"] == author.get_absolute_url()


def test_more_from_never_shows_the_piece_itself_or_a_hidden_one(client, hidden_pieces):
    author = hidden_pieces[0].authors.get()
    piece = PublicationFactory(authors=[author])
    assert page(client, piece).select_one(".more-from") is None  # the others are all hidden


def test_a_piece_in_related_analysis_is_not_listed_again_under_more_from(client):
    author, topic = PersonFactory(), "Gulf security"
    piece = PublicationFactory(authors=[author])
    piece.topics.add(topic)
    twin = PublicationFactory(authors=[author], title="Same author, same topic")
    twin.topics.add(topic)
    other = PublicationFactory(authors=[author], title="Same author")
    soup = page(client, piece)
    assert [a.text for a in soup.select(".related:not(.more-from) .card__title a")] == [twin.title]
    assert [a.text for a in soup.select(".more-from .card__title a")] == [other.title]


# Bio lines


def test_the_bio_line_links_the_fellowship_it_names(client):
    person = PersonFactory(name="Anna <b>O'Neil</b>")
    fellowship = FellowshipFactory(holder_title="Smith & Jones Fellow", bio_title="a Smith & Jones Fellow")
    AppointmentFactory(person=person, fellowship=fellowship)
    soup = page(client, PublicationFactory(authors=[person]))
    line = soup.select_one(".bios p")
    assert line.text == "Anna <b>O'Neil</b> is a Smith & Jones Fellow at The Washington Institute."
    assert line.find("b") is None  # the name is text, not markup
    assert [(a.text, a["href"]) for a in line.select("a")] == [
        ("Smith & Jones Fellow", fellowship.get_absolute_url())
    ]


def test_a_frozen_bio_line_links_the_fellowship_held_then(client):
    person = PersonFactory()
    then = FellowshipFactory(holder_title="Ira Weiner Fellow")
    now = FellowshipFactory(holder_title="Senior Ira Weiner Fellow")
    AppointmentFactory(
        person=person, fellowship=then, start=datetime.date(2010, 1, 1), end=datetime.date(2019, 12, 31)
    )
    AppointmentFactory(person=person, fellowship=now, start=datetime.date(2020, 1, 1))
    old = PublicationFactory(authors=[person], publish_at=timezone.make_aware(datetime.datetime(2015, 5, 1)))
    line = page(client, old).select_one(".bios p")
    assert "is an Ira Weiner Fellow at" in line.text
    assert [a["href"] for a in line.select("a")] == [then.get_absolute_url()]
    new = PublicationFactory(authors=[person], publish_at=timezone.now() - datetime.timedelta(days=1))
    line = page(client, new).select_one(".bios p")
    assert [(a.text, a["href"]) for a in line.select("a")] == [
        ("Senior Ira Weiner Fellow", now.get_absolute_url())
    ]


def test_a_bio_line_naming_no_fellowship_is_plain_text(client):
    person = PersonFactory(job_title="Senior Fellow")
    AppointmentFactory(person=person, start=datetime.date(2030, 1, 1))  # not yet held
    line = page(client, PublicationFactory(authors=[person])).select_one(".bios p")
    assert line.text == f"{person.name} is a Senior Fellow at The Washington Institute." and not line.a


# Print


def test_the_print_header_names_the_institute_and_the_short_address(client):
    piece = PublicationFactory()
    header = page(client, piece).select_one(".print-only.print-header")
    assert header.select_one(".print-header__name").text == "The Washington Institute for Near East Policy"
    assert header.select_one(".print-header__url").text == f"{SITE}{piece.get_short_url()}"


# Queries


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_one_author_as_for_five_with_fellowships(client):
    def piece_by(n_authors):
        authors = PersonFactory.create_batch(n_authors)
        for author in authors:
            AppointmentFactory(person=author)
            PublicationFactory.create_batch(4, authors=[author], topics=["Shared topic"])
        return PublicationFactory(
            authors=authors,
            topics=["Shared topic"],
            body=body_with_headings(("h2", "A"), ("h2", "B"), ("h3", "C")),
        )

    assert count_queries(client, piece_by(1).get_absolute_url()) == count_queries(
        client, piece_by(5).get_absolute_url()
    )
