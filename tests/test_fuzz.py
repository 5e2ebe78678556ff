"""Property-based fuzzing of every public URL pattern, generated from the URLconf.

Each pattern (tests/urlconf.py walks them; the admin is left out) is requested with random path
segments where its converters take free text (slugs, huge numbers, any text for <section>) and
random query strings: the listing's parameter names and random ones, repeated, with unicode
(right-to-left, emoji), NUL and control characters, huge and negative numbers, SQL and HTML
metacharacters and 10,000-character values. Whatever the input:

* no response is a server error (the test client re-raises a view's exception: hypothesis
  then reports the smallest input that raised it);
* no HTML response contains an injected HTML payload verbatim (unescaped reflection);
* every XML response (feeds, sitemaps) is well-formed;
* no hidden piece shows up.

The Host header varies too (allowed, forged, empty, a bracketed address, a port the site is not
served on: those are 400s), and so does the number of fields (past Django's 1,000: a 400), with
the page cache on, as in production.
"""

import os
import urllib.parse
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.http.request import split_domain_port
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import AppointmentFactory, FellowshipFactory, PersonFactory, PublicationFactory

from . import urlconf

pytestmark = pytest.mark.django_db

ROUTES = urlconf.public_routes()  # raises (a collection error) for a pattern nobody can fill

# Per pattern. FUZZ_EXAMPLES=500 for a longer hunt; the default keeps the file well under a minute.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))

LISTING_PARAMS = ["page", "type", "topic", "region", "expert", "from", "to", "sort", "q"]

# Injected markup: none of these may appear as written in an HTML response.
HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title><script>alert(2)</script>",
]
# What an injection would leave in a page whatever was stripped or cut around it.
TELLTALES = ["<script>alert(", "<img src=x onerror", "<svg onload", 'href="javascript:']

SPECIAL_VALUES = [
    "",
    " ",
    "' OR 1=1 --",
    "1' OR '1'='1",
    "1; DROP TABLE publications_publication; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "a\x00b",
    "\x00",
    "\x01\x02\x0b\x0c\x1b\x7f",
    "\ufeff\u200b\u200e\u200f",
    "\ud7ff\ufffe\uffff",
    "مرحبا بالعالم",  # Arabic, right to left
    "\u202eevil\u202c",  # right-to-left override
    "שלום",
    "🦄💥🔥👩‍👩‍👧‍👦",
    "Ω≈ç√∫˜µ≤≥÷",
    "０１２３",
    "-1",
    "0",
    "-0",
    "1e308",
    "NaN",
    "Infinity",
    str(2**31),
    str(2**63),
    str(10**40),
    str(-(10**40)),
    "0000",
    "²⁰²⁴",  # superscript digits: str.isdigit() but not int()
    "٠٠٠٠",  # Arabic-Indic zeros
    "2024-02-30",
    "9999-12-31",
    "0000-01-01",
    "-2024",
    "10000",
    "2024-01-01T00:00:00",
    "x" * 10_000,
    "zeppelin " * 1_200,
    "javascript:alert(1)",
    "../../etc/passwd",
    "relevance",
    "oldest",
    "newest",
    '"unclosed phrase',
    "-",
    "OR",
    "a & b | !c <-> d:*",
    "***",
    "<!--",
    "]]>",
]

huge_ints = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=2**31 - 2, max_value=2**64 + 2),
    st.integers(min_value=10**18, max_value=10**60),
)

with_payload = st.builds(
    lambda before, payload, after: before + payload + after,
    st.text(max_size=8),
    st.sampled_from(HTML_PAYLOADS),
    st.text(max_size=8),
)


# Dates and bare years for from/to: any digits (Unicode ones too), impossible days and months.
date_like = st.one_of(
    st.integers(min_value=0, max_value=99_999).map(lambda year: f"{year:04d}"),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=4, max_size=4),
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(min_value=0, max_value=9_999),
        st.integers(min_value=0, max_value=13),
        st.integers(min_value=0, max_value=32),
    ),
    st.dates().map(str),
)


def param_values(known):
    return st.one_of(
        date_like,
        st.sampled_from(SPECIAL_VALUES),
        st.sampled_from(HTML_PAYLOADS),
        with_payload,
        st.text(max_size=40),  # any unicode, control characters included
        st.text(alphabet="\u0600\u06ff\u05d0\u202e\u200f😀🇺🇸 -'\"<>&%;", max_size=20),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.sampled_from(known),  # real slugs and dates, so filters also match something
    )


param_names = st.one_of(
    st.sampled_from(LISTING_PARAMS),
    st.text(min_size=1, max_size=12),
    st.sampled_from(["csrfmiddlewaretoken", "format", "callback", "__proto__", "page[]", "q[]"]),
    st.sampled_from(HTML_PAYLOADS),
)


def query_pairs(known):
    values = param_values(known)
    single = st.one_of(
        st.tuples(param_names, values),
        st.tuples(st.sampled_from(["from", "to"]), date_like),
        st.tuples(st.just("page"), st.one_of(huge_ints.map(str), values)),
    ).map(lambda pair: [pair])
    repeated = st.tuples(st.sampled_from(LISTING_PARAMS), st.lists(values, min_size=2, max_size=4)).map(
        lambda item: [(item[0], value) for value in item[1]]
    )
    return st.lists(st.one_of(single, repeated), max_size=5).map(lambda groups: sum(groups, []))


ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

hosts = st.one_of(
    st.sampled_from(ALLOWED_HOSTS),
    st.sampled_from(
        [
            "attacker-host.test",
            "",
            "[::1]",
            "testserver:9999",
            "testserver:80",
            "127.0.0.1:443",
            "testserver.",
            "TESTSERVER",
            "testserver:abc",
            "test server",
            "testserver@attacker-host.test",
            "x" * 300,
        ]
    ),
    st.text(max_size=30),
)


def host_is_allowed(host):
    domain, port = split_domain_port(host)
    return domain in ALLOWED_HOSTS and port in ("", "80", "443")


def too_many_fields(pairs):
    """The drawn pairs, or past DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) with empty fields added."""
    return st.one_of(
        st.just(pairs),
        st.integers(min_value=1, max_value=50).map(lambda extra: pairs + [("a", "")] * (1_000 + extra)),
    )


def segment_strategy(route, param, values):
    """Random values for one path parameter: known ones, and random ones its converter accepts."""
    how, source = route.source(param)
    if how == "choices":
        return st.sampled_from(source)  # any other value does not resolve to this pattern
    known = [value for value, _ in values[source]] if how == "db" else list(source)
    regex = param.converter.regex
    if regex == "[0-9]+":  # int
        random = huge_ints
    elif regex == "[-a-zA-Z0-9_]+":  # slug
        random = st.one_of(
            st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
            st.integers(min_value=301, max_value=2_000).map(lambda n: "s" * n),
        )
    elif regex == "[^/]+":  # str: any text but a slash
        random = st.one_of(
            st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s),
            st.sampled_from([p for p in HTML_PAYLOADS + SPECIAL_VALUES if p and "/" not in p]),
        )
    else:
        random = st.from_regex(regex, fullmatch=True)
    return st.one_of(st.sampled_from(known), random) if known else random


def build_path(route, segments):
    """Build the path, each segment percent-encoded the way a browser would send it."""
    return route.build({name: urllib.parse.quote(str(value), safe="") for name, value in segments.items()})


@pytest.fixture
def fuzz_site(hidden_pieces):
    """A few published pieces sharing the hidden pieces' topic, region and author."""
    author = hidden_pieces[0].authorships.get().person
    topic, region = hidden_pieces[0].topics.get(), hidden_pieces[0].regions.get()
    AppointmentFactory(person=author, fellowship=FellowshipFactory())
    other = PersonFactory()
    for i in range(3):
        PublicationFactory(
            title=f"Published piece {i} on naval policy",
            authors=[author, other] if i else [author],
            topics=[topic],
            regions=[region],
            body="<p>Sanctions, shipping and the Strait of Hormuz.</p>",
        )
    values = urlconf.database_values()
    known = [v for kind in ("type", "topic", "region", "person") for v, _ in values[kind]]
    known += ["1", "2", "2020", "2020-01-01", "relevance"]
    return FuzzSite(hidden=hidden_pieces, values=values, known=known)


class FuzzSite(SimpleNamespace):
    def __repr__(self):  # keeps hypothesis's report of a failing example short
        return "<fuzz site>"


def check_response(response, path, pairs, hidden):
    request = f"{path}?{urllib.parse.urlencode(pairs)}"[:600]
    assert response.status_code < 500, f"{response.status_code} for {request}"
    body = response.content.decode("utf-8", errors="replace")
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        sent = urllib.parse.unquote(path) + "".join(f"{name}{value}" for name, value in pairs)
        for payload in HTML_PAYLOADS:
            if payload in sent:
                assert payload not in body, f"{payload!r} reflected unescaped by {request}"
        for telltale in TELLTALES:
            assert telltale not in body, f"{telltale!r} in the page for {request}"
    if "xml" in content_type and response.status_code == 200:
        try:
            ET.fromstring(response.content)
        except ET.ParseError as error:
            raise AssertionError(f"malformed XML ({error}) for {request}") from error
    for piece in hidden:
        assert piece.title not in body, f"hidden {piece.title!r} shown by {request}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
@settings(
    max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_input_breaks_or_injects_into_a_public_page(client, fuzz_site, route, data, production_checks):
    segments = {
        param.name: data.draw(segment_strategy(route, param, fuzz_site.values), label=param.name)
        for param in route.params
    }
    path = build_path(route, segments)
    pairs = data.draw(query_pairs(fuzz_site.known).flatmap(too_many_fields), label="query")
    host = data.draw(hosts, label="host")
    with transaction.atomic():  # a database error must not poison the examples after it
        response = client.get(path, QUERY_STRING=urllib.parse.urlencode(pairs), headers={"host": host})
    check_response(response, path, pairs, fuzz_site.hidden)
    # /healthz never reads its query string, so it has no fields to count.
    if not host_is_allowed(host) or (len(pairs) > 1_000 and path != "/healthz"):
        assert response.status_code == 400, f"{response.status_code} for Host {host!r}, {len(pairs)} fields"
        assert "We couldn’t understand that request" in response.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/policy-analysis/", 200),  # the form drew the field: the message is beside it
        ("/policy-analysis/archive/2024/", 200),  # the year page's own dates win
        ("/search/", 400),  # no query, so no form: a hand-made address
        ("/feeds/rss/", 400),
    ],
)
@pytest.mark.parametrize("query", [{"from": "0000"}, {"to": "0000"}, {"from": "²⁰²⁴"}, {"to": "٠٠٠٠"}])
def test_a_bare_year_that_is_not_a_year_is_never_a_500(client, path, status, query):
    response = client.get(path, query)
    assert response.status_code == status
    if path == "/policy-analysis/":
        assert "must be a date, like 2015" in response.text
