"""schema.org JSON-LD for pieces, people and the institution, and a safe <script> to embed it.

The builders are pure: they take the object and ``url_for(path) -> absolute URL`` (e.g.
``lambda path: absolute_url(request, path)``) and make no queries beyond what the caller
prefetched (a piece's authorships with their people, type, topics, regions and tags).
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .models import SECTION_NAME
from .sanitize import html_to_text

CONTEXT = "https://schema.org"

# What could end the <script> element or open a comment inside it; JSON reads the escapes back.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def _absolute(url_for, url):
    """Return ``url`` absolute: as it is when it already is (e.g. media on a CDN), else via url_for."""
    return url if url.startswith(("http://", "https://", "//")) else url_for(url)


def _organization(url_for):
    home = url_for(reverse("publications:home"))
    return {
        "@type": "Organization",
        "@id": f"{home}#organization",
        "name": settings.INSTITUTION_FULL_NAME,
        "url": home,
    }


def _logo(url_for):
    return {"@type": "ImageObject", "url": _absolute(url_for, static("img/favicon.svg"))}


def _is_affiliated(person):
    """Whether the person holds (or held) a post at the institution, not an outside co-author.

    Bio lines make the same assumption: a job title is a title at the institution.
    """
    return person.is_expert or bool(person.job_title)


def _person(person, url_for, affiliated):
    data = {
        "@type": "Person",
        "name": person.name,
        "url": url_for(person.get_absolute_url()),
    }
    if person.job_title:
        data["jobTitle"] = person.job_title
    if affiliated:
        data["affiliation"] = _organization(url_for)
    return data


def article_jsonld(publication, url_for):
    """Return an Article for a public piece, or None for any piece readers may not see."""
    if not publication.is_public:
        return None
    url = url_for(publication.get_absolute_url())
    authors = []
    for authorship in publication.ordered_authorships:
        # A stored bio line ("X is a ... at the Institute") means a post here on the publish date.
        affiliated = bool(authorship.bio_line) or _is_affiliated(authorship.person)
        author = _person(authorship.person, url_for, affiliated)
        if authorship.bio_line:
            author["description"] = authorship.bio_line
        authors.append(author)
    keywords = [
        term.name for term in (*publication.topics.all(), *publication.regions.all(), *publication.tags.all())
    ]
    description = publication.summary or Truncator(html_to_text(publication.body)).words(60)
    data = {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": publication.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": publication.publish_at.isoformat(),
        "dateModified": max(publication.updated_at, publication.publish_at).isoformat(),
        "inLanguage": publication.language,
        "author": authors,
        "publisher": {**_organization(url_for), "logo": _logo(url_for)},
        "articleSection": publication.type.name,
        "isPartOf": {
            "@type": "CollectionPage",
            "name": str(SECTION_NAME),
            "url": url_for(reverse("publications:list")),
        },
    }
    if description:
        data["description"] = description
    if keywords:
        data["keywords"] = keywords
    if publication.image_url:
        data["image"] = _absolute(url_for, publication.image_url)
    return data


def person_jsonld(person, url_for):
    """Return a Person for an expert's page (affiliation and worksFor only for the institution's own)."""
    data = {"@context": CONTEXT, **_person(person, url_for, _is_affiliated(person))}
    if person.short_bio:
        data["description"] = person.short_bio
    if "affiliation" in data:
        data["worksFor"] = data["affiliation"]
    if person.expertise_list:
        data["knowsAbout"] = person.expertise_list
    if person.photo_url:
        data["image"] = _absolute(url_for, person.photo_url)
    return data


def organization_jsonld(url_for):
    """Return the institution as an Organization, for the home page."""
    return {
        "@context": CONTEXT,
        **_organization(url_for),
        "alternateName": settings.INSTITUTION_NAME,
        "logo": _logo(url_for),
    }


def jsonld_script(data):
    """Return ``data`` in a <script type="application/ld+json"> element, safe to put in HTML.

    <, > and & are written as JSON escapes, so no value (a title with "</script>", say) can end
    the element early. None (e.g. from article_jsonld for a hidden piece) gives an empty string.
    """
    if data is None:
        return SafeString("")
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
