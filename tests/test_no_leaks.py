"""No public address shows a hidden piece: generated from the URLconf, so new pages are covered.

Every pattern outside the admin is filled with every value in the database (each topic, region,
person, fellowship, every piece's slug, old slug and pk, hidden ones included) and requested as
an anonymous reader; listings are requested again with filters that would match the hidden
pieces. No body (HTML, XML, JSON, text), redirect or count may reveal a draft, a piece in review,
a scheduled or an archived piece, and a hidden piece's own addresses are 404s.
"""

import datetime
import html

import pytest
from django.utils import dateformat, timezone

from publications.models import Publication
from tests.factories import AppointmentFactory, FellowshipFactory, PersonFactory, PublicationFactory

from . import urlconf

pytestmark = pytest.mark.django_db

ROUTES = urlconf.public_routes()  # raises (a collection error) for a pattern nobody can fill

PUBLISHED_COUNT = 3


@pytest.fixture
def leak_site(hidden_pieces):
    """Hidden pieces with distinctive, searchable text, next to published pieces that share their
    topic, region, author and type, so every listing would show the hidden ones if the gate failed."""
    author = hidden_pieces[0].authorships.get().person
    topic = hidden_pieces[0].topics.get()
    region = hidden_pieces[0].regions.get()
    for piece in hidden_pieces:
        label = piece.slug.removeprefix("unpublished-")
        piece.title = f"Embargoed zeppelin {label}"
        piece.slug = f"embargoed-zeppelin-{label}"  # the old slug stays as a SlugRedirect
        piece.summary = f"Classified dirigible dek {label}."
        piece.body = f"<p>Airship hangar notes about the {label} zeppelin.</p>"
        piece.is_featured = True
        piece.save()
    co_author = PersonFactory(name="Public Coauthor", slug="public-coauthor")
    AppointmentFactory(person=author, fellowship=FellowshipFactory())
    published = [
        PublicationFactory(
            title=f"Public zeppelin briefing {i}",
            slug=f"public-zeppelin-briefing-{i}",
            type=hidden_pieces[0].type,
            summary="A published look at airships and zeppelin policy.",
            authors=[author, co_author] if i == 0 else [author],
            topics=[topic],
            regions=[region],
            is_featured=i == 0,
        )
        for i in range(PUBLISHED_COUNT)
    ]
    return {
        "hidden": hidden_pieces,
        "published": published,
        "author": author,
        "topic": topic,
        "region": region,
        "type": hidden_pieces[0].type,
    }


def filter_queries(site):
    """GET parameters a listing takes that would pick out the hidden pieces if they got through."""
    scheduled = next(p for p in site["hidden"] if p.status == Publication.Status.PUBLISHED)
    scheduled_day = timezone.localdate(scheduled.publish_at)
    since = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    # Two days past it: pages echo the query, and one day past the local date is the UTC date of
    # the scheduled piece every evening in New York, which the checks rightly treat as a leak.
    until = (scheduled_day + datetime.timedelta(days=2)).isoformat()
    everything = {
        "type": site["type"].slug,
        "topic": site["topic"].slug,
        "region": site["region"].slug,
        "expert": site["author"].slug,
        "q": "zeppelin",
        "from": since,
        "to": until,
    }
    return [
        {},
        {"type": site["type"].slug},
        {"topic": site["topic"].slug},
        {"region": site["region"].slug},
        {"expert": site["author"].slug},
        {"q": "zeppelin"},
        {"q": "Embargoed"},
        {"q": '"zeppelin draft"'},  # a phrase of a hidden title (not all of it: queries are echoed)
        {"q": "dirigible hangar"},
        {"q": "zeppelin", "sort": "relevance"},
        {"sort": "oldest"},
        {"from": since, "to": until},
        {"from": str(scheduled_day.year)},
        everything,
        {**everything, "sort": "oldest"},
    ]


def hidden_markers(piece, own_address=False):
    """Strings that would reveal ``piece``. On its own (404) address its URL may be echoed."""
    markers = [piece.title, piece.summary, "Airship hangar notes"]
    if not own_address:
        old = list(piece.slug_redirects.values_list("old_slug", flat=True))
        markers += [piece.slug, *old, f"/p/{piece.pk}/"]
    return markers


def scheduled_dates(site):
    """How a scheduled piece's (future) publish date would be written on a page or in a sitemap."""
    dates = set()
    for piece in site["hidden"]:
        if piece.status == Publication.Status.PUBLISHED:  # scheduled: published, in the future
            for moment in (timezone.localtime(piece.publish_at), piece.publish_at):
                dates |= {moment.date().isoformat(), dateformat.format(moment, "F j, Y")}
    return dates


def texts(response):
    """The body (and redirect target) as written, entity-decoded, and with JSON's \\/ undone."""
    body = response.content.decode("utf-8", errors="replace")
    body += "\n" + response.get("Location", "")
    return (body, html.unescape(body), body.replace("\\/", "/"))


def counts(response):
    """Every count of pieces in the page's context: the paginator's and the facets'."""
    context = response.context
    if context is None:
        return []
    found = []
    paginator = context.get("paginator")
    if paginator is not None:
        found.append(("paginator.count", paginator.count))
    for facet, data in (context.get("facets") or {}).items():
        found += [(f"facet {facet}={value['key']}", value["count"]) for value in data["values"]]
    return found


def problems(response, site, own_pieces=()):
    """Return what ``response`` reveals of hidden pieces (empty when nothing)."""
    found = []
    bodies = texts(response)
    for piece in site["hidden"]:
        for marker in hidden_markers(piece, own_address=piece.pk in own_pieces):
            if any(marker in body for body in bodies):
                found.append(f"shows {marker!r} of the {piece.display_status} piece")
    for date in scheduled_dates(site):
        if any(date in body for body in bodies):
            found.append(f"shows the scheduled piece's future date {date!r}")
    for label, count in counts(response):
        if count > PUBLISHED_COUNT:
            found.append(f"counts {count} pieces in {label}, more than the {PUBLISHED_COUNT} published")
    return found


def request(client, path, query=None):
    response = client.get(path, query or {})
    assert response.status_code < 500, f"{path} {query}: {response.status_code}"
    return response


def test_every_url_pattern_is_walked():
    """A sanity check on the walker: the known surfaces are all there, the admin is not."""
    names = {route.name for route in ROUTES}
    assert {
        "publications:home",
        "publications:detail",
        "publications:citation",
        "publications:short",
        "publications:topic-feed",
        "publications:expert",
        "sitemap-section",
        "robots",
    } <= names
    assert not any(route.route.startswith("admin/") for route in ROUTES)
    walked = {(route.name, param.name) for route in urlconf.all_routes() for param in route.params}
    stale = set(urlconf.SOURCES) - walked
    assert not stale, f"SOURCES names patterns that no longer exist: {stale}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_hidden_piece_shows_on_any_public_address(client, leak_site, route):
    hidden_pks = {piece.pk for piece in leak_site["hidden"]}
    addresses = urlconf.addresses(route, urlconf.database_values())
    assert addresses, route
    failures = []
    for address in addresses:
        own = address.owners & hidden_pks
        response = request(client, address.path)
        if own:
            # A hidden piece's own address: not found, and nothing of it on the 404 page.
            if response.status_code != 404:
                failures.append(f"{address.path}: {response.status_code}, expected 404 for a hidden piece")
            failures += [f"{address.path}: {p}" for p in problems(response, leak_site, own)]
            continue
        if response.status_code not in (200, 301, 302):
            failures.append(f"{address.path}: unexpected {response.status_code}")
        failures += [f"{address.path}: {p}" for p in problems(response, leak_site)]
        if address.is_piece_page:
            continue  # a piece's page is not a listing: filters do not apply
        for query in filter_queries(leak_site)[1:]:
            response = request(client, address.path, query)
            if response.status_code not in (200, 301, 302):
                failures.append(f"{address.path} {query}: unexpected {response.status_code}")
            failures += [f"{address.path} {query}: {p}" for p in problems(response, leak_site)]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/", {}),
        ("/policy-analysis/", {}),
        ("/policy-analysis/", {"topic": "secret-topic", "q": "zeppelin"}),
        ("/search/", {"q": "zeppelin"}),
        ("/topics/secret-topic/", {}),
        ("/regions/secret-region/", {}),
        ("/experts/hidden-author/", {}),
        ("/feeds/rss/", {}),
        ("/feeds/atom/", {"q": "zeppelin"}),
        ("/topics/secret-topic/feed/rss/", {}),
        ("/experts/hidden-author/feed/atom/", {}),
        ("/sitemap-publications.xml", {}),
    ],
)
def test_published_pieces_do_show_where_hidden_ones_are_looked_for(client, leak_site, path, query):
    """The control: the pages checked above list the published pieces, so an absence means something."""
    response = client.get(path, query)
    assert response.status_code == 200
    body = response.content.decode()
    for piece in leak_site["published"]:
        assert piece.title in body or piece.get_absolute_url() in body, (path, query, piece.title)
