"""Topics, regions and free tags: 1,000 of each, slugged by the tag models' own slugify."""

from publications.models import Region, Tag, Topic

from .people import bulk_create
from .rows import unique_slug
from .vocabulary import (
    PLACE_QUALIFIERS,
    PLACES,
    TAG_MODIFIERS,
    TAG_WORDS,
    TOPIC_BASES,
    TOPIC_NOUNS,
    TOPIC_QUALIFIERS,
)

TERMS_EACH = 1_000
# Per kind: the plain names first, then every qualifier-noun pair in a shuffled order.
NAME_PARTS = {
    Topic: (TOPIC_BASES, TOPIC_QUALIFIERS, TOPIC_NOUNS),
    Region: (PLACES, PLACE_QUALIFIERS, PLACES),
    Tag: (TAG_WORDS, TAG_MODIFIERS, TAG_WORDS),
}
TERM_MODELS = tuple(NAME_PARTS)


def term_names(rng, model):
    bases, qualifiers, nouns = NAME_PARTS[model]
    combos = [f"{q} {n}" for q in qualifiers for n in nouns]
    rng.shuffle(combos)
    return bases + combos


def new_terms(rng, model, missing):
    """Return ``missing`` new terms, their names unique regardless of case (as taggit compares)."""
    taken_names = {name.lower() for name in model.objects.values_list("name", flat=True)}
    taken_slugs = set(model.objects.values_list("slug", flat=True))
    max_length = model._meta.get_field("slug").max_length
    make_slug = model().slugify
    terms = []
    for name in term_names(rng, model):
        if len(terms) == missing:
            break
        if name.lower() not in taken_names:
            taken_names.add(name.lower())
            terms.append(model(name=name, slug=unique_slug(name, taken_slugs, max_length, make_slug)))
    return terms


def seed_terms(rng, model, notes):
    """Create the missing terms; return all of their ids, most used first (by Zipf weight)."""
    missing = TERMS_EACH - model.objects.count()
    if missing > 0:
        terms = new_terms(rng, model, missing)
        bulk_create(model, terms)
        notes.append(f"{len(terms):,} {model._meta.verbose_name_plural}")
    return list(model.objects.order_by("pk").values_list("pk", flat=True))
