"""The search page's helpers: "Did you mean ...?" and the query as a reader typed it."""

from django import template
from django.utils.http import urlencode

from publications import filters, search
from publications.models import Publication

register = template.Library()


@register.simple_tag(takes_context=True)
def search_suggestion(context):
    """Return {"url", "parts"} for a corrected search when this one found little, else None.

    ``parts`` are (text, corrected) pairs of the corrected query. The corrected search keeps the
    page's other filters and is only offered if it finds more public pieces with them.
    """
    query, request = context.get("query"), context.get("request")
    if not query or request is None:
        return None
    paginator = context.get("paginator")
    applied = dict(context.get("filters") or {})

    def count(corrected):
        return filters.apply(Publication.objects.published(), {**applied, "q": corrected}).count()

    found = search.suggestion(query, paginator.count if paginator else 0, count)
    if found is None:
        return None
    params = request.GET.copy()
    params.pop("page", None)
    params["q"] = found.query
    return {"url": f"{request.path}?{urlencode(sorted(params.lists()), doseq=True)}", "parts": found.parts}


@register.filter
def quoted(query):
    """Return the query between curly quotes once: “red sea”, never ““red sea””."""
    text = (query or "").strip()
    if len(text) > 1 and text[0] == text[-1] == '"' and '"' not in text[1:-1]:
        text = text[1:-1]
    return f"“{text}”"
