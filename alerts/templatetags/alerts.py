"""``{% subscribe_form %}``: the "Get these by email" form of a page that has a feed.

It follows what the page shows: a listing's filters (those of its address and those the page fixes
itself, a topic's or a year's), an expert's pieces on the expert's page, everything elsewhere
(the home page). A page whose filters can never match a new piece (they end in the past) shows
no form.
"""

from django import template
from django.core.exceptions import ValidationError

from people.models import Person
from publications.filters import PublicationFilterForm

from .. import selections

register = template.Library()


def page_filters(context):
    """Return the filters of the page being drawn: those its listing applied (read from its
    address and fixed by the page itself), an expert's on the expert's page, else none."""
    form, person = context.get("form"), context.get("person")
    if isinstance(form, PublicationFilterForm) and hasattr(form, "filters"):
        return form.filters
    if isinstance(person, Person):
        return {"expert": [person]}
    return {}


@register.simple_tag(takes_context=True)
def follow_query(context):
    """Return the canonical selection of the page's filters, or None if it cannot be followed."""
    try:
        return selections.query_of(page_filters(context))
    except ValidationError:
        return None


@register.inclusion_tag("includes/subscribe_form.html", takes_context=True)
def subscribe_form(context, follow=None, form=None, title=True):
    """Draw the form for ``follow`` (by default the page's own filters); ``form``: a bound
    SubscribeForm whose mistakes to show beside its fields."""
    if follow is None:
        follow = follow_query(context)
    return {"follow": follow, "form": form, "title": title}
