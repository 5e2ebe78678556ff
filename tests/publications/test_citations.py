import datetime
import json
import re

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import author as split_bibtex_authors
from bibtexparser.customization import convert_to_unicode, splitname
from django.utils import timezone

from publications.citations import bibtex, chicago, csl_json, ris
from publications.models import Publication
from tests.factories import PersonFactory, PublicationFactory, PublicationTypeFactory

pytestmark = pytest.mark.django_db

URL = "https://www.washingtoninstitute.org/policy-analysis/netanyahu-and-putin-rendezvous-paris"
INSTITUTION = "The Washington Institute for Near East Policy"
TITLE = "Netanyahu and Putin Rendezvous in Paris"
# Noon in Washington on the publish day.
PUBLISHED = datetime.datetime(2015, 11, 30, 17, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def institution(settings):
    settings.INSTITUTION_FULL_NAME = INSTITUTION


@pytest.fixture
def op_eds(db):
    return PublicationTypeFactory(name="Articles & Op-Eds", slug="articles-op-eds")


def anna():
    return PersonFactory(name="Anna Borshchevskaya", sort_name="Borshchevskaya, Anna")


def dana():
    return PersonFactory(name="Dana Stroul", sort_name="Stroul, Dana")


def soner():
    return PersonFactory(name="Soner Çağaptay", sort_name="Çağaptay, Soner")


def piece(op_eds, authors, **fields):
    fields = {"title": TITLE, "publish_at": PUBLISHED, "type": op_eds, "summary": "", **fields}
    return PublicationFactory(authors=authors, **fields)


def parse_bibtex(text):
    database = bibtexparser.loads(text, parser=BibTexParser(common_strings=True))
    assert len(database.entries) == 1
    return database.entries[0]


# Chicago author-date


def test_chicago_one_author(op_eds):
    assert chicago(piece(op_eds, [anna()]), URL) == (
        'Borshchevskaya, Anna. 2015. "Netanyahu and Putin Rendezvous in Paris." Articles & Op-Eds. '
        f"The Washington Institute for Near East Policy. November 30, 2015. {URL}"
    )


def test_chicago_two_authors_invert_only_the_first(op_eds):
    text = chicago(piece(op_eds, [anna(), dana()]), URL)
    assert text.startswith('Borshchevskaya, Anna, and Dana Stroul. 2015. "Netanyahu')


def test_chicago_three_authors_in_byline_order(op_eds):
    text = chicago(piece(op_eds, [dana(), anna(), soner()]), URL)
    assert text.startswith('Stroul, Dana, Anna Borshchevskaya, and Soner Çağaptay. 2015. "Netanyahu')


def test_chicago_without_an_author_starts_with_the_title(op_eds):
    assert chicago(piece(op_eds, []), URL) == (
        '"Netanyahu and Putin Rendezvous in Paris." 2015. Articles & Op-Eds. '
        f"The Washington Institute for Near East Policy. November 30, 2015. {URL}"
    )


def test_chicago_title_punctuation(op_eds):
    text = chicago(piece(op_eds, [anna()], title='Is Putin\'s "Victory" Real?'), URL)
    # A question mark stands for the period; quotes inside the quoted title turn single.
    assert "2015. \"Is Putin's 'Victory' Real?\" Articles & Op-Eds." in text


def test_chicago_uses_the_publish_day_in_washington_not_utc(op_eds):
    late_evening = datetime.datetime(2015, 12, 1, 3, tzinfo=datetime.UTC)  # 10 p.m. on Nov 30 in DC
    assert "November 30, 2015." in chicago(piece(op_eds, [anna()], publish_at=late_evening), URL)


def test_an_unpublished_piece_is_dated_today(op_eds):
    draft = piece(op_eds, [anna()], status=Publication.Status.DRAFT, publish_at=None)
    today = timezone.localdate()
    assert f"{today:%B} {today.day}, {today.year}." in chicago(draft, URL)
    assert parse_bibtex(bibtex(draft, URL))["year"] == str(today.year)
    assert csl_json(draft, URL)[0]["issued"] == {"date-parts": [[today.year, today.month, today.day]]}


# BibTeX


def test_bibtex_parses_back(op_eds):
    entry = parse_bibtex(bibtex(piece(op_eds, [anna(), dana()]), URL))
    assert entry["ENTRYTYPE"] == "misc"
    assert entry["ID"] == "borshchevskaya2015netanyahu"
    assert split_bibtex_authors(dict(entry))["author"] == ["Borshchevskaya, Anna", "Stroul, Dana"]
    # The title is braced whole, so BibTeX styles keep its capitals.
    assert entry["title"] == "{Netanyahu and Putin Rendezvous in Paris}"
    assert entry["year"] == "2015"
    assert entry["month"] == "November"  # the nov macro, expanded
    assert entry["url"] == URL
    decoded = convert_to_unicode(dict(entry))
    assert decoded["note"] == "Articles & Op-Eds"
    assert decoded["publisher"] == INSTITUTION
    assert decoded["institution"] == INSTITUTION


def test_bibtex_escapes_special_characters_and_keeps_non_ascii_names(op_eds):
    text = bibtex(piece(op_eds, [soner()], title="Oil & Gas: Turkey's 100% Bet on Russia"), URL)
    assert r"Oil \& Gas: Turkey's 100\% Bet" in text
    entry = parse_bibtex(text)
    assert entry["ID"] == "cagaptay2015oil"
    assert entry["ID"].isascii()
    decoded = convert_to_unicode(dict(entry))
    assert decoded["title"] == "Oil & Gas: Turkey's 100% Bet on Russia"
    assert split_bibtex_authors(decoded)["author"] == ["Çağaptay, Soner"]
    assert decoded["year"] == "2015"


def test_bibtex_braces_and_backslashes_in_a_title_do_not_break_the_entry(op_eds):
    title = "Sets {A, B} and C:\\ $5 #1 under_score ~tilde ^caret"
    entry = parse_bibtex(bibtex(piece(op_eds, [anna()], title=title), URL))
    # Every field after the title is still read: no unbalanced brace swallowed the rest.
    assert entry["year"] == "2015"
    assert entry["note"] == r"Articles \& Op-Eds"
    assert entry["title"] == (
        r"{Sets \textbraceleft{}A, B\textbraceright{} and C:\textbackslash{} \$5 \#1 under\_score "
        r"\textasciitilde{}tilde \textasciicircum{}caret}"
    )


def split_names_as_bibtex_does(value):
    """Split an author list on "and" at brace depth 0 only, as BibTeX does.

    bibtexparser 1.x's own splitter (``customization.author``) splits on every " and ", braced or not.
    """
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
        if match.group() == "{":
            depth += 1
        elif match.group() == "}":
            depth -= 1
        elif depth == 0:
            names.append(value[start : match.start()])
            start = match.end()
    return [*names, value[start:]]


def test_bibtex_keeps_a_single_name_with_and_in_it_whole(op_eds):
    group = PersonFactory(name="Friends and Allies", sort_name="Friends and Allies")
    smith = PersonFactory(name="Jo Smith and Sons", sort_name="Smith and Sons, Jo")
    entry = parse_bibtex(bibtex(piece(op_eds, [group, smith, anna()]), URL))
    names = [splitname(name) for name in split_names_as_bibtex_does(entry["author"])]
    assert names == [
        {"first": [], "von": [], "last": ["{Friends and Allies}"], "jr": []},
        {"first": ["Jo"], "von": [], "last": ["Smith", "{and}", "Sons"], "jr": []},
        {"first": ["Anna"], "von": [], "last": ["Borshchevskaya"], "jr": []},
    ]
    assert entry["ID"] == "friendsandallies2015netanyahu"


def test_bibtex_without_an_author_has_no_author_field(op_eds):
    entry = parse_bibtex(bibtex(piece(op_eds, [], title="The Iran Deal"), URL))
    assert "author" not in entry
    assert entry["ID"] == "anon2015iran"


# RIS


def test_ris_parses_back(op_eds):
    text = ris(piece(op_eds, [dana(), anna(), soner()], summary="Two leaders\nmeet again."), URL)
    (record,) = rispy.loads(text)
    assert record["type_of_reference"] == "ELEC"
    assert record["authors"] == ["Stroul, Dana", "Borshchevskaya, Anna", "Çağaptay, Soner"]
    assert record["title"] == TITLE
    assert record["year"] == "2015"
    assert record["date"] == "2015/11/30/"
    assert record["publisher"] == INSTITUTION
    assert record["urls"] == [URL]
    assert record["secondary_title"] == "Articles & Op-Eds"
    assert record["language"] == "en"
    assert record["abstract"] == "Two leaders meet again."


def test_ris_line_format(op_eds):
    text = ris(piece(op_eds, [anna()]), URL)
    assert "\r" not in text
    lines = text.split("\n")
    assert lines[0] == "TY  - ELEC"
    assert lines[-2:] == ["ER  - ", ""]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert not any(line.startswith("AB  -") for line in lines)  # no summary, no abstract


# CSL-JSON


def test_csl_json(op_eds):
    publication = piece(op_eds, [anna(), soner()], summary="Putin and Netanyahu met in Paris.")
    (item,) = json.loads(json.dumps(csl_json(publication, URL)))
    assert item == {
        "id": "borshchevskaya2015netanyahu",
        "type": "report",
        "title": TITLE,
        "author": [
            {"family": "Borshchevskaya", "given": "Anna"},
            {"family": "Çağaptay", "given": "Soner"},
        ],
        "issued": {"date-parts": [[2015, 11, 30]]},
        "publisher": INSTITUTION,
        "genre": "Articles & Op-Eds",
        "URL": URL,
        "language": "en",
        "abstract": "Putin and Netanyahu met in Paris.",
    }


def test_csl_json_name_without_a_comma_is_literal(op_eds):
    group = PersonFactory(name="Study Group", sort_name="Study Group")
    (item,) = csl_json(piece(op_eds, [group]), URL)
    assert item["author"] == [{"literal": "Study Group"}]
    assert "abstract" not in item


# Queries


def test_citing_a_prefetched_piece_runs_no_query(op_eds, django_assert_num_queries):
    piece(op_eds, [anna(), dana()])
    publication = Publication.objects.with_cards().get()
    with django_assert_num_queries(0):
        for cite in (chicago, bibtex, ris, csl_json):
            cite(publication, URL)
