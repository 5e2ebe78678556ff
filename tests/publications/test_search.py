"""Full-text search as a reader uses it, on whichever database runs the suite."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publications import search
from publications.models import Publication, SearchWord
from publications.search.words import similarity
from publications.services import publication_publish, publication_unpublish

from ..factories import PublicationFactory, edit_piece, staff_editor

pytestmark = pytest.mark.django_db


def slugs(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return [p.slug for p in response.context["publications"]]


def suggested(client, query):
    text = client.get("/search/", {"q": query}).text
    return "Did you mean" in text, text


@pytest.fixture
def pieces(db):
    return {
        "missiles": PublicationFactory(slug="missiles", title="Missiles over the Gulf", body="<p>Range.</p>"),
        "missile": PublicationFactory(slug="missile", title="Defence", body="<p>One missile fell.</p>"),
        "putin": PublicationFactory(slug="putin", title="Putin in Paris", body="<p>Talks with Russia.</p>"),
        "hezbollah": PublicationFactory(slug="hezbollah", title="Hezbollah at sea", body="<p>Russia.</p>"),
        "phrase": PublicationFactory(slug="phrase", title="Aid", body="<p>The Russian military police.</p>"),
        "scattered": PublicationFactory(slug="scattered", title="Aid", body="<p>Military, Russian.</p>"),
    }


def test_a_word_finds_every_form_of_it(client, pieces):
    assert sorted(slugs(client, "missile")) == ["missile", "missiles"]
    assert sorted(slugs(client, "missiles")) == ["missile", "missiles"]


def test_or_finds_either_word(client, pieces):
    assert sorted(slugs(client, "putin OR hezbollah")) == ["hezbollah", "putin"]


def test_a_minus_sign_leaves_out_the_pieces_with_that_word(client, pieces):
    assert slugs(client, "russia -hezbollah") == ["putin"]
    assert "hezbollah" not in slugs(client, "-hezbollah") and "putin" in slugs(client, "-hezbollah")


def test_a_quoted_phrase_must_appear_as_written(client, pieces):
    assert slugs(client, '"Russian military"') == ["phrase"]
    assert sorted(slugs(client, "Russian military")) == ["phrase", "scattered"]


def test_a_title_match_ranks_before_a_body_match(client, pieces):
    assert slugs(client, "missile") == ["missiles", "missile"]


def test_the_query_words_are_marked_in_the_snippet(client, pieces):
    assert "<mark>missile</mark> fell" in client.get("/search/", {"q": "missiles"}).text


def test_an_edit_is_found_at_once_and_its_old_words_are_not(client, pieces):
    edit_piece(pieces["putin"], title="Lavrov in Paris", body="<p>Talks.</p>")
    assert slugs(client, "lavrov") == ["putin"]
    assert slugs(client, "putin") == []
    assert suggested(client, "Lavrof")[0]
    assert not suggested(client, "Putn")[0]


def test_an_unpublished_piece_leaves_the_results_and_the_suggestions(client, pieces):
    assert suggested(client, "Hezbolah")[0]
    publication_unpublish(publication=pieces["hezbollah"], user=staff_editor())
    assert slugs(client, "hezbollah") == []
    assert not suggested(client, "Hezbolah")[0]
    publication_publish(publication=Publication.objects.get(slug="hezbollah"), user=staff_editor())
    assert slugs(client, "hezbollah") == ["hezbollah"]
    assert suggested(client, "Hezbolah")[0]


def test_a_deleted_piece_leaves_the_results_and_the_word_list(client, pieces):
    assert SearchWord.objects.get(word="hezbollah").pieces == 1
    pieces["hezbollah"].delete()
    assert slugs(client, "hezbollah") == []
    assert SearchWord.objects.get(word="hezbollah").pieces == 0
    assert not suggested(client, "Hezbolah")[0]


def test_words_of_drafts_and_scheduled_pieces_are_never_suggested(client, pieces):
    PublicationFactory(title="Zbigniewski", status=Publication.Status.DRAFT, publish_at=None)
    PublicationFactory(title="Quarantotto", publish_at=timezone.now() + datetime.timedelta(days=1))
    for typo in ("Zbigniewsky", "Quarantoto"):
        shown, text = suggested(client, typo)
        assert not shown, typo
        assert "Zbigniewski" not in text and "Quarantotto" not in text


def test_a_misspelt_word_gets_a_link_to_the_corrected_search_keeping_the_rest(client, pieces):
    shown, text = suggested(client, "Hezbolah russia")
    assert shown
    assert 'href="/search/?q=Hezbollah+russia"><strong>Hezbollah</strong> russia</a>' in text
    assert slugs(client, "Hezbollah russia") == ["hezbollah"]


def test_a_word_the_archive_has_is_not_corrected_to_a_merely_commoner_one(client, pieces):
    PublicationFactory(title="Iraq")
    for n in range(4):
        PublicationFactory(title=f"Iran {n}")
    assert not suggested(client, "iraq")[0]


@pytest.mark.parametrize(
    "query",
    ["x" * 10_000, "?!...", '"', "-", "OR OR", "NOT missile", "title:missile", "missile*", "NEAR(a b)",
     "^missile", "(missile", "{title}: missile", '"missile', "missile AND", "a" * 300, "ß ǅ ﷽"],
)  # fmt: skip
def test_odd_queries_get_a_clear_page(client, pieces, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert response.context["publications"] is not None


def test_punctuation_only_asks_for_a_word(client, pieces):
    assert "Type at least one word to search for." in client.get("/search/", {"q": "?!..."}).text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with pg_trgm")
def test_the_similarity_is_pg_trgm_s(pieces):
    pairs = [("netanyahoo", "netanyahu"), ("missle", "missile"), ("iraq", "iran"), ("erdoğan", "erdogan")]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert cursor.fetchone()[0] == pytest.approx(similarity(a, b), abs=1e-6)


def count_queries(client, query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/search/", {"q": query}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["Hezbolah", "Hezbolah misile Rusia Gulph Parris Talkz"])
def test_a_corrected_search_costs_the_same_queries_however_big_the_archive(client, pieces, query):
    few = count_queries(client, query)
    for n in range(30):
        PublicationFactory(title=f"Hezbollah {n}", body="<p>Missile, Russia, Gulf, Paris, talks.</p>")
    assert count_queries(client, query) == few
    assert few <= 12


def test_a_save_costs_the_same_queries_however_big_the_archive(pieces):
    piece = pieces["putin"]

    def reindex():
        with CaptureQueriesContext(connection) as captured:
            search.update_vectors(Publication.objects.filter(pk=piece.pk))
        return len(captured)

    Publication.objects.filter(pk=piece.pk).update(title="Lavrov and Putin")
    few = reindex()
    for n in range(30):
        PublicationFactory(title=f"Lavrov {n}")
    Publication.objects.filter(pk=piece.pk).update(title="Lavrov, Putin and Macron")
    assert reindex() == few
    assert SearchWord.objects.get(word="lavrov").pieces == 31


def test_the_results_page_has_one_search_box(client, pieces):
    text = client.get("/search/", {"q": "missile"}).text
    assert text.count('type="search"') == 1
    assert '<input type="hidden" name="q" value="missile">' in text  # the filters keep the query


def test_a_phrase_shows_once_quoted_in_its_chip(client, pieces):
    text = client.get("/search/", {"q": '"Russian military"'}).text
    assert "“Russian military” <span" in text
    assert "““" not in text


def test_no_results_suggest_fewer_words_and_link_to_topics_and_regions(client, pieces):
    text = client.get("/search/", {"q": "zzyzx quux"}).text
    assert "Try fewer words" in text
    assert '<a href="/topics/">topic</a>' in text and '<a href="/regions/">region</a>' in text
