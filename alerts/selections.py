"""What a subscription follows: the filters of a page that has a feed, in one canonical form.

A topic page follows ``topic=syria``, the listing ``type=policy-analysis&region=iran``, a search
``q=missile``, the whole site ``""``. The form is the listing's own GET parameters (the same
PublicationFilterForm reads them), sorted, with the sort order dropped, so two pages that show the
same pieces share one :class:`~alerts.models.Selection`, and a piece matches a selection exactly when
the listing at ``selection.page`` would show it.
"""

from django.core.exceptions import BadRequest, ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from publications import filters as listing
from publications.feeds_describe import describe, is_filtered
from publications.models import Publication

from .models import Selection

# The parameters a selection keeps, in the order its canonical form writes them.
PARAMS = ("type", "topic", "region", "expert", "q", "from", "to")
SCOPED = ("topic", "region", "expert")  # one of these alone: its own page (a topic's page...)
FIELDS = {"from": "start", "to": "end"}  # URL parameter -> the form's field


def canonical(params):
    """Return the canonical query of a page's filters (a QueryDict or a dict of lists), or raise
    ValidationError saying why they cannot be followed."""
    form = listing.PublicationFilterForm(_querydict(params))
    try:
        filters = form.validated()
    except BadRequest as error:
        raise ValidationError(str(error), code="invalid") from None
    return query_of(filters)


def query_of(filters):
    """Return the canonical query of filters already validated (a listing's ``form.filters``), or
    raise ValidationError when no new piece could ever match them. Costs no query."""
    today = _today()
    if filters.get("end") and filters["end"] < today:
        raise ValidationError(
            _("These filters end on a day that has passed, so no new piece could ever match them."),
            code="ended",
        )
    pairs = []
    for name in PARAMS:
        value = filters.get(FIELDS.get(name, name))
        if not value:
            continue
        if isinstance(value, list | tuple) or not isinstance(value, str) and hasattr(value, "__iter__"):
            pairs += [(name, slug) for slug in sorted(term.slug for term in value)]
        elif hasattr(value, "isoformat"):
            pairs.append((name, value.isoformat()))
        else:
            pairs.append((name, str(value)))
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    return query.urlencode()


def filters_of(query):
    """Return the listing filters of a canonical query, or None when they name something that no
    longer exists (a topic removed or renamed): such a selection matches nothing."""
    form = listing.PublicationFilterForm(QueryDict(query))
    try:
        return form.validated()
    except BadRequest:
        return None


def label_of(filters):
    return describe(filters) if is_filtered(filters) else _("All Policy Analysis")


def page_of(query, filters):
    """Return the address of the page that shows what ``query`` follows."""
    names = [name for name in PARAMS if QueryDict(query).get(name)]
    if len(names) == 1 and names[0] in SCOPED and len(filters[names[0]]) == 1:
        return filters[names[0]][0].get_absolute_url()
    if names == ["q"]:
        return f"{reverse('publications:search')}?{query}"
    return reverse("publications:list") + (f"?{query}" if query else "")


def selection_for(query):
    """Return the Selection of a canonical query, made on first use (its label and page with it)."""
    filters = filters_of(query)
    if filters is None:
        raise ValidationError(_("These filters name something that does not exist."), code="gone")
    selection, _created = Selection.objects.get_or_create(
        query=query, defaults={"label": label_of(filters)[:300], "page": page_of(query, filters)[:1200]}
    )
    return selection


def matches(selection, publication_id):
    """Whether the piece, now public, is one the selection's page would show."""
    return _shows_any(selection.query, Publication.objects.published().filter(pk=publication_id))


def matches_anything(query):
    """Whether anything public now is what the page of ``query`` shows."""
    return _shows_any(query, Publication.objects.published())


def _shows_any(query, pieces):
    filters = filters_of(query)
    return filters is not None and listing.apply(pieces, filters).exists()


def _querydict(params):
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for name, values in params.items():
        for value in values if isinstance(values, list | tuple) else [values]:
            query.appendlist(name, value)
    return query


def _today():
    from django.utils import timezone

    return timezone.localdate()
