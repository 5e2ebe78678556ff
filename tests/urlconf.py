"""Walk the URLconf and turn every public pattern into concrete addresses.

Shared by test_no_leaks.py (fills converters with every value in the database, hidden pieces
included) and test_fuzz.py (fills them with random values). A new pattern is picked up on its
own; one whose parameters nobody knows how to fill makes the tests fail (see ``SOURCES``) rather
than being skipped without a word.
"""

import itertools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

# Namespaces that are not public pages.
SKIPPED_NAMESPACES = {"admin"}

# Patterns walked but never requested, by their full route or regex, with the reason. Keep small.
NOT_REQUESTED = {
    # Uploaded files, each served after a check of the piece it belongs to: every state and role
    # is requested in tests/test_attacks.py.
    "media/<path:name>": "uploaded files, tests/test_attacks.py",
    # The admin's guarded "view on site" shortcut, staff only: tests/editorial/test_admin_leaks.py.
    f"{settings.ADMIN_URL}r/<int:content_type_id>/<path:object_id>/": "admin shortcut, staff only",
    # Email subscriptions' signed links (forged, expired, spent ones): tests/alerts/.
    "email/confirm/<str:token>/": "signed link, tests/alerts/test_subscribe.py",
    "email/unsubscribe/<str:token>/": "signed link, tests/alerts/test_manage.py",
    "email/manage/<str:token>/": "signed link, tests/alerts/test_manage.py",
}

# What each parameter of a named pattern stands for, as a kind of database value (see
# ``database_values``). Converters whose regex is a plain alternation (feed_kind, citation_format)
# and the sitemap's <section> fill themselves; every other parameter must be listed here.
SOURCES = {
    ("publications:detail", "slug"): "publication",
    ("publications:citation", "slug"): "publication",
    ("publications:short", "pk"): "publication_pk",
    ("publications:year", "year"): "year",
    ("publications:topic", "slug"): "topic",
    ("publications:topic-feed", "slug"): "topic",
    ("publications:region", "slug"): "region",
    ("publications:region-feed", "slug"): "region",
    ("publications:expert", "slug"): "person",
    ("publications:expert-feed", "slug"): "person",
    ("people:fellowship", "slug"): "fellowship",
}

# Kinds whose values belong to one piece: an address built from a hidden piece's value is that
# piece's own address.
PIECE_KINDS = {"publication", "publication_pk"}

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_ALTERNATION = re.compile(r"^[-\w.]+(\|[-\w.]+)*$")


class UnfillableRoute(AssertionError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    converter: object  # a converter instance (int, slug, str, path or a custom one)

    @property
    def choices(self):
        """The converter's whole vocabulary when its regex is a plain alternation, else None."""
        regex = getattr(self.converter, "regex", "")
        return tuple(regex.split("|")) if _ALTERNATION.match(regex) and "|" in regex else None


@dataclass(frozen=True)
class Route:
    route: str  # the full route, e.g. "topics/<slug:slug>/feed/<feed_kind:kind>/"
    name: str | None  # namespaced, e.g. "publications:topic-feed"
    params: tuple[Param, ...]
    default_kwargs: dict = field(default_factory=dict, compare=False, hash=False)
    is_regex: bool = False

    def __str__(self):
        return self.name or self.route

    def build(self, values):
        """Return the path for ``values`` (parameter name -> value), each through its converter."""
        converters = {param.name: param.converter for param in self.params}

        def replace(match):
            name = match.group("name")
            return str(converters[name].to_url(values[name]))

        return "/" + _PARAMETER.sub(replace, self.route)

    def source(self, param):
        """Return how ``param`` is filled: ("choices", values), ("sitemaps", keys) or ("db", kind)."""
        if param.choices:
            return "choices", param.choices
        if param.name == "section" and "sitemaps" in self.default_kwargs:
            return "sitemaps", tuple(self.default_kwargs["sitemaps"])
        kind = SOURCES.get((self.name, param.name))
        if kind is None:
            raise UnfillableRoute(
                f"Cannot fill <{param.name}> of URL pattern {self.route!r} (name {self.name!r}): add "
                f"({self.name!r}, {param.name!r}) to SOURCES in tests/urlconf.py, or the pattern to "
                "NOT_REQUESTED with a reason."
            )
        return "db", kind


def _walk(patterns, prefix, namespace, converters, kwargs, regex_prefix=False):
    for entry in patterns:
        pattern = entry.pattern
        is_regex = regex_prefix or not isinstance(pattern, RoutePattern)
        text = str(pattern)
        if prefix and isinstance(pattern, RegexPattern):
            text = text.removeprefix("^")  # only the outermost regex keeps its anchor
        full = prefix + text
        found = {**converters, **getattr(pattern, "converters", {})}
        merged = {
            **kwargs,
            **(entry.default_kwargs if isinstance(entry, URLResolver) else entry.default_args),
        }
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            child_ns = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from _walk(entry.url_patterns, full, child_ns, found, merged, is_regex)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            if is_regex:
                yield Route(full, name, (), merged, is_regex=True)
                continue
            params = tuple(Param(m.group("name"), found[m.group("name")]) for m in _PARAMETER.finditer(full))
            yield Route(full, name, params, merged)


def all_routes():
    """Every pattern of the URLconf outside the skipped namespaces, NOT_REQUESTED ones included."""
    return list(_walk(get_resolver().url_patterns, "", None, {}, {}))


def public_routes():
    """Every pattern to request. Raises UnfillableRoute for one that cannot be requested."""
    routes = []
    for route in all_routes():
        if route.route in NOT_REQUESTED:
            continue
        if route.is_regex:
            if re.compile(route.route).groups or not re.fullmatch(r"\^?[-\w./]*\$?", route.route):
                raise UnfillableRoute(
                    f"Regex URL pattern {route.route!r} cannot be filled: use path() or add it to "
                    "NOT_REQUESTED in tests/urlconf.py with a reason."
                )
            literal = route.route.removeprefix("^").removesuffix("$").replace("\\", "")
            route = Route(literal, route.name, (), route.default_kwargs)
        for param in route.params:
            route.source(param)  # raises when it cannot be filled
        routes.append(route)
    return routes


def database_values():
    """Return every value a parameter can take from the database, in every publication state.

    Maps kind -> list of (value, owner): owner is the pk of the piece the value belongs to
    (publication slugs, old slugs and pks), else None.
    """
    from people.models import Fellowship, Person
    from publications.models import Publication, PublicationType, Region, SlugRedirect, Topic

    pieces = list(Publication.objects.order_by("pk").values_list("pk", "slug", "publish_at"))
    years = {timezone.localdate().year} | {
        timezone.localtime(publish_at).year for _, _, publish_at in pieces if publish_at
    }
    return {
        "publication": [(slug, pk) for pk, slug, _ in pieces]
        + [(old, pk) for old, pk in SlugRedirect.objects.values_list("old_slug", "publication_id")],
        "publication_pk": [(pk, pk) for pk, _, _ in pieces],
        "year": [(year, None) for year in sorted(years)],
        "topic": [(slug, None) for slug in Topic.objects.values_list("slug", flat=True)],
        "region": [(slug, None) for slug in Region.objects.values_list("slug", flat=True)],
        "person": [(slug, None) for slug in Person.objects.values_list("slug", flat=True)],
        "fellowship": [(slug, None) for slug in Fellowship.objects.values_list("slug", flat=True)],
        "type": [(slug, None) for slug in PublicationType.objects.values_list("slug", flat=True)],
    }


@dataclass(frozen=True)
class Address:
    path: str
    route: Route
    owners: frozenset  # pks of the pieces whose values built it (empty: not a piece's own address)

    @property
    def is_piece_page(self):
        return any(self.route.source(p) == ("db", kind) for p in self.route.params for kind in PIECE_KINDS)


def addresses(route, values):
    """Return an Address for every combination of the values each parameter of ``route`` takes."""
    choices = []
    for param in route.params:
        how, source = route.source(param)
        if how == "db":
            options = values.get(source)
            if not options:
                raise UnfillableRoute(f"No {source!r} value in the database to fill {route.route!r}")
            choices.append([(param.name, value, owner) for value, owner in options])
        else:
            choices.append([(param.name, value, None) for value in source])
    result = []
    for combination in itertools.product(*choices):
        path = route.build({name: value for name, value, _ in combination})
        owners = frozenset(owner for _, _, owner in combination if owner is not None)
        result.append(Address(path, route, owners))
    return result
