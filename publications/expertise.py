"""An expert's areas of expertise as links: to the topic or region of that name, else to a search."""

from django.db.models import CharField, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.http import urlencode

from .models import Region, Topic

# When a topic and a region share a name, the topic's page is the one linked.
PAGE_NAMES = {"region": "publications:region", "topic": "publications:topic"}


def _pages_named(names):
    """Return {lower-case name: address} of the topics and regions named ``names``, in one query."""

    def named(model, kind):
        matching = model.objects.annotate(key=Lower("name")).filter(key__in=names).order_by()
        return matching.values_list("key", "slug", Value(kind, output_field=CharField()))

    rows = named(Region, "region").union(named(Topic, "topic"), all=True).order_by()
    pages = {}
    for key, slug, kind in sorted(rows, key=lambda row: row[2]):  # "region" < "topic": topics win
        pages[key] = reverse(PAGE_NAMES[kind], kwargs={"slug": slug})
    return pages


def expertise_links(person):
    """Return (area, address) for each of ``person``'s areas of expertise, in their order."""
    areas = person.expertise_list
    if not areas:
        return []
    pages = _pages_named({area.lower() for area in areas})
    search = reverse("publications:search")
    return [(area, pages.get(area.lower()) or f"{search}?{urlencode({'q': area})}") for area in areas]
