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
