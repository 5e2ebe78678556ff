from django import template
from django.utils.http import urlencode

from publications.sanitize import html_to_text

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """Return the current query string with ``page`` set to ``number`` (dropped for page 1)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    if number != 1:
        params["page"] = number
    query = urlencode(sorted(params.lists()), doseq=True)
    return f"?{query}" if query else context["request"].path


@register.simple_tag
def elided_pages(page_obj):
    """Return page numbers around the current one, with the paginator's ellipsis between runs."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


@register.filter
def plain_text(value):
    """Return the readable text of stored HTML, for excerpts (escaped again on output)."""
    return html_to_text(value)


def _url(request, params):
    params.pop("page", None)
    query = urlencode(sorted((k, v) for k, v in params.lists() if v), doseq=True)
    return f"{request.path}?{query}" if query else request.path


@register.simple_tag(takes_context=True)
def toggle_url(context, name, value):
    """Return the current address with ``value`` added to or removed from filter ``name``."""
    request = context["request"]
    params = request.GET.copy()
    values = params.getlist(name)
    params.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return _url(request, params)


@register.simple_tag(takes_context=True)
def without_url(context, *names):
    """Return the current address without the given filters (none given: without any filter)."""
    request = context["request"]
    params = request.GET.copy()
    for name in names or list(params):
        params.pop(name, None)
    return _url(request, params)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
