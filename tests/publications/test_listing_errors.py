"""No dead ends on the listing: a mistyped date is shown beside its field, the page still lists
what the other filters select, empty fields leave the address, and a hand-made bad address is a
400 page that says why."""

import datetime
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PublicationFactory, PublicationTypeFactory, TopicFactory
from tests.test_html_validity import HAVE_TOOLS, VNU

pytestmark = pytest.mark.django_db


EXAMPLE = "2015\u201111\u201130"  # with hyphens that do not break


def at(year, month=6, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


@pytest.fixture
def archive():
    """Four published pieces, 2020 to 2023: two PolicyWatch on terrorism, two Policy Notes."""
    watch = PublicationTypeFactory(name="PolicyWatch", slug="policywatch")
    notes = PublicationTypeFactory(name="Policy Notes", slug="policy-notes")
    terror = TopicFactory(name="Terrorism", slug="terrorism")
    rows = [("a", watch, 2020), ("b", notes, 2021), ("c", watch, 2022), ("d", notes, 2023)]
    for slug, kind, year in rows:
        PublicationFactory(
            slug=slug,
            title=f"Piece {slug}",
            type=kind,
            topics=[terror] if kind == watch else [],
            publish_at=at(year),
        )


def listed(response):
    return sorted(p.slug for p in response.context["publications"])


def field_error(text, param):
    """Return the message shown beside the field for ``param`` and check it is tied to the input."""
    found = re.search(rf'<p class="field-error" id="id_{param}-error">(.*?)</p>', text, re.S)
    assert found, f"no message beside the {param!r} field"
    field = re.search(rf'<input type="date" id="id_{param}"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="id_{param}-error"' in field
    hidden, message = found.group(1).split("</span>", 1)
    assert hidden == '<span class="visually-hidden">Error: '  # a screen reader hears it is one
    return message


def summary_links(text):
    """Return (target, text) of each link in the error summary at the top of the filters."""
    summary = re.search(r'<div class="error-summary".*?</div>', text, re.S)
    assert summary, "no error summary"
    assert text.index('<form class="filters"') < summary.start() < text.index('id="id_q"')  # on top
    return re.findall(r'<a href="#(id_\w+)">(.*?)</a>', summary.group(0))


@pytest.mark.parametrize(
    ("param", "label", "kept"),
    [("from", "From", ("to", "2021-12-31")), ("to", "To", ("from", "2022"))],
)
@pytest.mark.parametrize("value", ["yesterday", "2021-02-30", "0000", "30/11/2015"])
def test_a_mistyped_date_is_named_beside_its_field_and_the_other_filters_still_apply(
    client, archive, param, label, kept, value
):
    response = client.get("/policy-analysis/", {param: value, kept[0]: kept[1], "type": "policywatch"})
    assert response.status_code == 200
    message = f"“{label}” must be a date, like {EXAMPLE}."
    assert field_error(response.text, param) == message
    assert summary_links(response.text) == [(f"id_{param}", message)]
    # Only the bad date is left out: the type and the other date still narrow the list.
    assert listed(response) == (["a"] if param == "from" else ["c"])
    assert "The results ignore that date until it is corrected." in response.text
    other = re.search(rf'<input type="date" id="id_{kept[0]}"[^>]*>', response.text).group(0)
    assert "aria-invalid" not in other


def test_an_inverted_range_says_so_beside_to_and_lists_without_the_range(client, archive):
    response = client.get("/policy-analysis/", {"from": "2023", "to": "2021-01-31", "type": "policywatch"})
    assert response.status_code == 200
    message = "The end date (“To”) is before the start date (“From”)."
    assert field_error(response.text, "to") == message
    assert summary_links(response.text) == [("id_to", message)]
    assert listed(response) == ["a", "c"]  # every PolicyWatch: the range is left out, the type kept
    # What the reader typed is still in the fields, to correct.
    assert 'id="id_from" name="from" value="2023-01-01"' in response.text
    assert 'id="id_to" name="to" value="2021-01-31"' in response.text
    assert "The results ignore these dates until they are corrected." in response.text


def test_the_filters_open_on_a_phone_when_they_hold_a_mistake(client, archive):
    assert '<details class="filters-toggle">' in client.get("/policy-analysis/").text
    assert '<details class="filters-toggle" open>' in client.get("/policy-analysis/", {"to": "x"}).text


def test_a_page_with_a_mistake_keeps_its_chosen_filters_and_feeds_leave_the_bad_date_out(client, archive):
    response = client.get("/policy-analysis/", {"topic": "terrorism", "from": "2021", "to": "soon"})
    assert listed(response) == ["c"]
    assert re.search(r'<div class="active-filters">.*Terrorism', response.text, re.S)
    assert '<input type="hidden" name="topic" value="terrorism">' in response.text
    feed = "/policy-analysis/feed/rss/?topic=terrorism&amp;from=2021"
    assert f'href="{feed}"' in response.text
    assert (
        "soon" not in re.search(r'<link rel="alternate" type="application/rss\+xml"[^>]*>', response.text)[0]
    )


def test_a_page_with_a_mistake_costs_no_more_queries_than_without(client, archive):
    client.get("/policy-analysis/", {"type": "policywatch"})  # counts are cached from here on
    with CaptureQueriesContext(connection) as plain:
        client.get("/policy-analysis/", {"type": "policywatch"})
    with CaptureQueriesContext(connection) as mistaken:
        response = client.get("/policy-analysis/", {"type": "policywatch", "to": "x"})
    assert response.status_code == 200
    assert len(mistaken) == len(plain)


def test_search_shows_a_mistyped_date_beside_its_field(client, archive):
    PublicationFactory(slug="z", title="Sanctions on shipping", publish_at=at(2022))
    response = client.get("/search/", {"q": "sanctions", "to": "2022-13-01"})
    assert response.status_code == 200
    assert field_error(response.text, "to") == f"“To” must be a date, like {EXAMPLE}."
    assert listed(response) == ["z"]


def test_a_year_page_keeps_its_own_dates_and_its_form_goes_to_the_whole_listing(client, archive):
    response = client.get("/policy-analysis/archive/2022/", {"to": "whenever"})
    assert response.status_code == 200
    assert listed(response) == ["c"]
    assert 'class="field-error"' not in response.text
    assert '<form class="filters" method="get" action="/policy-analysis/"' in response.text
    assert 'name="from" value="2022-01-01"' in response.text


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("q=&from=&to=&sort=newest", "/policy-analysis/?sort=newest"),
        ("q=&from=&to=", "/policy-analysis/"),
        ("type=policywatch&type=&q=+", "/policy-analysis/?type=policywatch"),
        ("from=2021&to=&page=", "/policy-analysis/?from=2021"),
    ],
)
def test_empty_parameters_are_redirected_away(client, archive, query, canonical):
    response = client.get(f"/policy-analysis/?{query}")
    assert response.status_code == 302
    assert response["Location"] == canonical
    assert client.get(canonical).status_code == 200


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/search/?q=iran&to=", "/search/?q=iran"),
        ("/topics/terrorism/?from=", "/topics/terrorism/"),
        ("/policy-analysis/archive/2022/?q=", "/policy-analysis/archive/2022/"),
    ],
)
def test_every_listing_drops_empty_parameters(client, archive, path, canonical):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == canonical


def test_with_the_page_cache_the_empty_address_is_never_stored_and_the_canonical_one_is(
    client, archive, page_cache
):
    for _ in range(2):
        assert client.get("/policy-analysis/?q=&type=policywatch").status_code == 302
    assert client.get("/policy-analysis/?type=policywatch")["X-Cache"] == "miss"
    assert client.get("/policy-analysis/?type=policywatch")["X-Cache"] == "hit"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "nonexistent"}, "There is no publication type called “nonexistent”."),
        ({"topic": "atlantis", "to": "x"}, "There is no topic called “atlantis”."),
        ({"sort": "random"}, "Select a valid choice."),
    ],
)
def test_a_hand_made_bad_value_is_still_the_sites_400_page(client, archive, params, message):
    response = client.get("/policy-analysis/", params)
    assert response.status_code == 400
    assert "We couldn’t understand that request" in response.text
    assert message in response.text


@pytest.mark.parametrize("path", ["/topics/terrorism/", "/search/", "/policy-analysis/feed/rss/"])
def test_a_bad_date_where_no_form_drew_it_is_a_400(client, archive, path):
    response = client.get(path, {"to": "2021-02-30"})
    assert response.status_code == 400
    if "feed" not in path:
        assert f"“To” must be a date, like {EXAMPLE}." in response.text


@pytest.mark.skipif(not HAVE_TOOLS, reason="the Nu HTML Checker needs Java and `npm install`")
def test_the_pages_with_a_mistake_are_valid_html(client, archive, tmp_path):
    pages = {"inverted": {"from": "2023", "to": "2021"}, "mistyped": {"from": "x", "to": "y", "q": "z"}}
    for name, params in pages.items():
        (tmp_path / f"{name}.html").write_bytes(client.get("/policy-analysis/", params).content)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages] == []
