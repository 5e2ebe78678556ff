"""The embedded default (SQLite, FTS5) finds what PostgreSQL finds on the demo: CI runs this on both."""

import pytest

from publications import search
from publications.models import Publication

pytestmark = pytest.mark.django_db

JCPOA = "after-the-jcpoa-exit-sanctions-without-consensus"
DRONES = "countering-irans-drone-and-missile-proliferation"
DETERRENCE = "sustaining-deterrence-in-the-gulf-after-a-decade-of-drone-warfare"
ABQAIQ = "the-abqaiq-attack-and-the-vulnerability-of-gulf-energy-infrastructure"
HOUTHI = "houthi-attacks-on-red-sea-shipping-costs-and-options"
NORMALIZATION = "normalization-agreements-open-a-new-regional-chapter"
REFERENCE = "netanyahu-and-putin-rendezvous-in-paris"
LEBANON = "lebanons-maritime-border-deal-economics-over-politics"
UKRAINE = "russias-war-in-ukraine-and-its-middle-east-footprint"
MISSILE = {JCPOA, DRONES, DETERRENCE, ABQAIQ, HOUTHI, NORMALIZATION}

EXPECTED = {
    "missile": MISSILE,
    "missiles": MISSILE,  # stemming: one word, every form
    "putin OR hezbollah": {REFERENCE, LEBANON},
    '"Russian military"': {REFERENCE, UKRAINE},
    "hezbollah -lebanon": {REFERENCE},
    "missile -drones": {JCPOA, NORMALIZATION},  # an exclusion, stemmed too
    "Borshchevskaya": {REFERENCE},  # an author's name
    "Netanyahu's": {REFERENCE},
}


def found(query):
    return [p.slug for p in search.ranked(search.matching(Publication.objects.published(), query), query)]


@pytest.mark.parametrize("query", EXPECTED)
def test_the_demo_finds_the_same_pieces_on_either_database(demo_site, query):
    assert set(found(query)) == EXPECTED[query]


def test_the_piece_about_missiles_by_title_comes_first_on_either_database(demo_site):
    assert found("missiles")[0] == DRONES


def test_a_misspelt_name_gets_the_same_suggestion_on_either_database(demo_site, client):
    text = client.get("/search/", {"q": "Netanyahoo"}).text
    assert "Did you mean" in text
    assert 'href="/search/?q=Netanyahu"><strong>Netanyahu</strong></a>?' in text
