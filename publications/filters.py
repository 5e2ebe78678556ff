"""The listing's filters as a GET form, the querysets they give, and facet counts."""

import datetime
import hashlib
import re

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from core import purge
from core.text import strip_control_characters
from people.models import Person

from . import search
from .models import Authorship, Publication, PublicationType, Region, TaggedRegion, TaggedTopic, Topic

MAX_QUERY_LENGTH = 200
FACET_LIMIT = 12


class SlugChoiceField(forms.ModelMultipleChoiceField):
    """Terms chosen by slug in the URL (``?topic=terrorism&topic=syria``)."""

    default_error_messages = {
        "invalid_choice": _("There is no %(kind)s called “%(value)s”."),
        "invalid_pk_value": _("“%(pk)s” is not a valid name."),
    }

    def __init__(self, queryset, kind, **kwargs):
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)
        self.kind = kind

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except forms.ValidationError as error:
            if error.code == "invalid_choice":
                bad = next(v for v in value if not self.queryset.filter(slug=v).exists())
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"kind": self.kind, "value": strip_control_characters(str(bad))[:100]},
                ) from None
            raise


class DateBoundField(forms.DateField):
    """A date, or a bare year (``2015`` means the whole of 2015 at either end)."""

    def __init__(self, end=False, **kwargs):
        super().__init__(required=False, input_formats=["%Y-%m-%d"], **kwargs)
        self.end = end

    def to_python(self, value):
        value = (value or "").strip()
        if re.fullmatch(r"[0-9]{4}", value) and value != "0000":  # ASCII digits only; year 0 doesn't exist
            year = int(value)
            return datetime.date(year, 12, 31) if self.end else datetime.date(year, 1, 1)
        return super().to_python(value[:10])


class PublicationFilterForm(forms.Form):
    """Every filter of the Policy Analysis listing, as shareable GET parameters."""

    SORTS = {"newest": _("Newest first"), "oldest": _("Oldest first"), "relevance": _("Most relevant")}

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    type = SlugChoiceField(PublicationType.objects.all(), _("publication type"), label=_("Type"))
    topic = SlugChoiceField(Topic.objects.all(), _("topic"), label=_("Topic"))
    region = SlugChoiceField(Region.objects.all(), _("region"), label=_("Region"))
    expert = SlugChoiceField(Person.objects.all(), _("expert"), label=_("Expert"))
    # The example's hyphens do not break (U+2011): a narrow column would split the date.
    start = DateBoundField(
        label=_("From"), error_messages={"invalid": _("“From” must be a date, like 2015‑11‑30.")}
    )
    end = DateBoundField(
        end=True, label=_("To"), error_messages={"invalid": _("“To” must be a date, like 2015‑11‑30.")}
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=list(SORTS.items()))

    # URL parameter names differ from field names where Python keywords or clarity require.
    PARAMS = {"start": "from", "end": "to"}
    FACETS = ("type", "topic", "region", "expert")
    # The fields a reader types into: their mistakes are shown beside them on a page that draws
    # the form. The others come from links and menus the site drew, so a bad value there is an
    # address made by hand (a 400).
    TYPED = ("start", "end")

    @classmethod
    def public_params(cls):
        """The query parameters the form reads: the only ones a public page keeps."""
        return [cls.PARAMS.get(name, name) for name in cls.base_fields]

    def __init__(self, params, fixed=None):
        data = {name: params.getlist(self.PARAMS.get(name, name)) for name in self.base_fields}
        for name in ("q", "start", "end", "sort"):
            data[name] = data[name][-1] if data[name] else ""
        data["q"] = strip_control_characters(data["q"])
        self.truncated = len(data["q"]) > MAX_QUERY_LENGTH
        data["q"] = data["q"][:MAX_QUERY_LENGTH]
        super().__init__(data)
        self.fixed = fixed or {}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        self.dates_read = {"start": start, "end": end}
        if start and end and start > end:
            self.add_error(
                "end",
                forms.ValidationError(
                    _("The end date (“To”) is before the start date (“From”)."), code="inverted"
                ),
            )
        if cleaned.get("sort") == "relevance" and not cleaned.get("q"):
            cleaned["sort"] = "newest"
        cleaned["sort"] = cleaned.get("sort") or ("relevance" if cleaned.get("q") else "newest")
        return cleaned

    def validated(self, lenient=False):
        """Return the cleaned filters, or raise BadRequest with every problem in words.

        ``lenient``: mistakes in the typed fields (the dates) are left for the page to show beside
        them, and the filters they would have set are left out (both dates for an inverted
        range); a problem with any other parameter is still a 400.
        """
        kept = self.TYPED if lenient else ()
        problems = [str(m) for name, messages in self.errors.items() if name not in kept for m in messages]
        if problems:
            raise BadRequest(" ".join(problems))
        cleaned = dict(self.cleaned_data)
        if self.has_error("end", code="inverted"):
            cleaned.pop("start", None)
        self.filters = {**cleaned, **self.fixed}
        return self.filters

    @property
    def typed_errors(self):
        """Return, per typed field with a mistake, its parameter and the message to show beside it.

        A field the page fixes itself (a year page's dates) has none: its own value wins.
        """
        return {
            name: {"param": self.PARAMS.get(name, name), "message": self.errors[name][0]}
            for name in self.TYPED
            if name in self.errors and name not in self.fixed
        }

    @property
    def ignored_params(self):
        """Return the parameters a lenient page left out: a bad date, or both of an inverted range."""
        if self.has_error("end", code="inverted"):
            return {"from", "to"}
        return {error["param"] for error in self.typed_errors.values()}

    @property
    def shown_dates(self):
        """Return the dates the date fields show: the page's own, else those that were understood."""
        read = getattr(self, "dates_read", {})
        return {name: self.fixed.get(name, read.get(name)) for name in ("start", "end")}

    @property
    def active(self):
        """Whether the address sets any filter in effect (not the page's own, nor a bad date)."""
        filters = getattr(self, "filters", {})
        names = (*self.FACETS, "q", "start", "end")
        return any(filters.get(name) for name in names if name not in self.fixed)


def apply(queryset, filters, skip=None):
    """Return ``queryset`` narrowed by every filter but ``skip`` (for that facet's own counts)."""
    for name, lookup in (
        ("type", "type__in"),
        ("topic", "tagged_topics__tag__in"),
        ("region", "tagged_regions__tag__in"),
    ):
        if name != skip and filters.get(name):
            queryset = queryset.filter(**{lookup: filters[name]})
    if skip != "expert" and filters.get("expert"):
        queryset = queryset.filter(authorships__person__in=filters["expert"])
    if filters.get("start"):
        queryset = queryset.filter(publish_at__date__gte=filters["start"])
    if filters.get("end"):
        queryset = queryset.filter(publish_at__date__lte=filters["end"])
    if filters.get("q"):
        queryset = search.matching(queryset, filters["q"])
    return queryset.distinct() if _joins_many(filters, skip) else queryset


def _joins_many(filters, skip):
    return any(filters.get(name) for name in ("topic", "region", "expert") if name != skip)


def ordered(queryset, filters):
    if filters.get("sort") == "relevance" and filters.get("q"):
        return search.ranked(queryset, filters["q"])
    if filters.get("sort") == "oldest":
        return queryset.order_by("publish_at", "pk")
    return queryset.order_by("-publish_at", "-pk")


def content_cached(key, compute):
    """Return compute(), kept in the cache until a piece joins or leaves a list.

    For counts: they depend only on which pieces are public and where, and every such change
    purges the ``list`` key (purges.py), so a cached count is never stale.
    """
    purge.purge_due()
    key = f"{key}:{purge.last_purge('list')}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.FACET_CACHE_SECONDS)
    return value


def cached_facet_counts(base, filters):
    """Return facet_counts(), the costly part of a listing, cached until a list changes."""
    signature = repr(
        sorted(
            (
                name,
                tuple(sorted(str(getattr(v, "slug", v)) for v in value))
                if isinstance(value, list | tuple)
                else str(value),
            )
            for name, value in filters.items()
            if name != "sort" and value
        )
    )
    return content_cached(
        f"facets:{hashlib.sha256(signature.encode()).hexdigest()}", lambda: facet_counts(base, filters)
    )


def term_counts(through, base):
    """Return {term id: count of pieces in ``base``} for a topic or region link table, cached."""

    def count():
        links = through.objects.filter(content_object__in=base.values("pk"))
        return dict(links.values_list("tag").annotate(count=Count("*")).order_by())

    return content_cached(f"term-counts:{through._meta.label}", count)


def facet_counts(base, filters):
    """Return, per facet, its values with the count each would give with the other filters.

    One grouped query per facet; chosen values are always listed, even when outside the top.
    """
    ids = {name: apply(base, filters, skip=name).values("pk") for name in PublicationFilterForm.FACETS}
    rows = {
        "type": Publication.objects.filter(pk__in=ids["type"])
        .values(key=F("type__slug"), label=F("type__name"), position=F("type__position"))
        .annotate(count=Count("pk"))
        .order_by("position", "label"),
        "topic": TaggedTopic.objects.filter(content_object__in=ids["topic"])
        .values(key=F("tag__slug"), label=F("tag__name"))
        .annotate(count=Count("content_object", distinct=True))
        .order_by("-count", "label"),
        "region": TaggedRegion.objects.filter(content_object__in=ids["region"])
        .values(key=F("tag__slug"), label=F("tag__name"))
        .annotate(count=Count("content_object", distinct=True))
        .order_by("-count", "label"),
        "expert": Authorship.objects.filter(publication__in=ids["expert"])
        .values(key=F("person__slug"), label=F("person__name"))
        .annotate(count=Count("publication", distinct=True))
        .order_by("-count", "label"),
    }
    facets = {}
    for name, query in rows.items():
        chosen = {term.slug for term in filters.get(name) or ()}
        values = list(query)
        shown = (
            values
            if name == "type"
            else [v for i, v in enumerate(values) if i < FACET_LIMIT or v["key"] in chosen]
        )
        for value in shown:
            value["active"] = value["key"] in chosen
        facets[name] = {"values": shown, "more": len(values) - len(shown)}
    return facets
