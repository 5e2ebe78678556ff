"""PostgreSQL: the weighted tsvector each piece stores, queried with websearch_to_tsquery."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F, Func, OuterRef, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat

CONFIG = "english"


def update_vectors(queryset):
    """Recompute the vectors of every piece in ``queryset`` in one UPDATE; return how many."""
    authorship = queryset.model._meta.get_field("authorships").related_model  # historical models too
    authors = (
        authorship.objects.filter(publication=OuterRef("pk"))
        .order_by()
        .values("publication")
        .annotate(names=StringAgg("person__name", Value(" "), order_by=("position", "pk")))
        .values("names")
    )
    return queryset.update(
        search_vector=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector(
            Concat(
                "summary",
                Value(" "),
                Coalesce(Subquery(authors), Value(""), output_field=TextField()),
                output_field=TextField(),
            ),
            weight="B",
            config=CONFIG,
        )
        + SearchVector(body_text(), weight="C", config=CONFIG)
    )


def body_text():
    """Return the body as plain text, in SQL: tags become spaces."""
    return Func(
        F("body"),
        Value("<[^>]+>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def query(text):
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def matching(queryset, text):
    return queryset.filter(search_vector=query(text))


def ranked(queryset, text):
    return queryset.annotate(rank=SearchRank(F("search_vector"), query(text)))


def with_snippets(queryset, text, start, stop):
    return queryset.annotate(
        headline=SearchHeadline(
            body_text(),
            query(text),
            config=CONFIG,
            start_sel=start,
            stop_sel=stop,
            max_words=40,
            min_words=20,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )
