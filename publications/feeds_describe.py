"""A feed's title and description in words, from the same filters as the listing it follows.

``describe({"topic": [Russia, Iran], "region": [Syria], "start": 2015-01-01})`` is "Analysis on
Russia and Iran in Syria, from 2015"; a search is "Search results for “missile”".
"""

import datetime

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def join(names):
    """Return "A", "A and B", "A, B and C"."""
    names = [str(name) for name in names]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _day(day, end=False):
    """Return a bound as a reader says it: a bare year when it is the whole year's end."""
    whole_year = (day.month, day.day) == ((12, 31) if end else (1, 1))
    return str(day.year) if whole_year else date_format(day, "DATE_FORMAT")


def _dates(start, end):
    if start and end:
        if start.year == end.year and (start, end) == (
            datetime.date(start.year, 1, 1),
            datetime.date(end.year, 12, 31),
        ):
            return _("published in %(year)s") % {"year": start.year}
        return _("from %(start)s to %(end)s") % {"start": _day(start), "end": _day(end, end=True)}
    if start:
        return _("from %(start)s") % {"start": _day(start)}
    if end:
        return _("until %(end)s") % {"end": _day(end, end=True)}
    return ""


def describe(filters):
    """Return what a listing with these filters shows, in words."""
    kinds = filters.get("type")
    phrase = join(kind.name for kind in kinds) if kinds else _("Analysis")
    for key, words in (
        ("topic", _("%(phrase)s on %(names)s")),
        ("region", _("%(phrase)s in %(names)s")),
        ("expert", _("%(phrase)s by %(names)s")),
    ):
        if filters.get(key):
            phrase = words % {"phrase": phrase, "names": join(term.name for term in filters[key])}
    dates = _dates(filters.get("start"), filters.get("end"))
    if dates:
        phrase = _("%(phrase)s, %(dates)s") % {"phrase": phrase, "dates": dates}
    query = filters.get("q")
    if not query:
        return phrase
    if phrase == _("Analysis"):
        return _("Search results for “%(query)s”") % {"query": query}
    return _("Search results for “%(query)s”: %(phrase)s") % {"query": query, "phrase": phrase}


def is_filtered(filters):
    return any(filters.get(key) for key in ("type", "topic", "region", "expert", "start", "end", "q"))


def title(filters):
    phrase = describe(filters) if is_filtered(filters) else _("Policy Analysis")
    return f"{settings.INSTITUTION_NAME}: {phrase}"


def subtitle(filters):
    if not is_filtered(filters):
        return _("The latest analysis from %(institution)s.") % {
            "institution": settings.INSTITUTION_FULL_NAME
        }
    return _("%(phrase)s: the latest from %(institution)s.") % {
        "phrase": describe(filters),
        "institution": settings.INSTITUTION_FULL_NAME,
    }


def gone_title():
    return _("%(institution)s: a feed of nothing that exists anymore") % {
        "institution": settings.INSTITUTION_NAME
    }


def gone_subtitle(problems, feeds_url):
    """Say why a feed is empty: it names a topic, region, expert or type that is no more."""
    return _(
        "This feed names something that no longer exists, so it has no pieces: %(problems)s "
        "It may have been renamed or removed; the current feeds are listed at %(feeds)s"
    ) % {"problems": " ".join(problems), "feeds": feeds_url}
