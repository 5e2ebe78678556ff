"""Structured data and absolute addresses for templates (JSON-LD, Open Graph)."""

from django import template

from core.links import absolute_url
from publications import seo

register = template.Library()


def _url_for(context):
    request = context["request"]
    return lambda path: absolute_url(request, path)


@register.simple_tag(takes_context=True)
def jsonld_article(context, publication):
    return seo.jsonld_script(seo.article_jsonld(publication, _url_for(context)))


@register.simple_tag(takes_context=True)
def jsonld_person(context, person):
    return seo.jsonld_script(seo.person_jsonld(person, _url_for(context)))


@register.simple_tag(takes_context=True)
def jsonld_organization(context):
    return seo.jsonld_script(seo.organization_jsonld(_url_for(context)))


@register.simple_tag(takes_context=True)
def absolute(context, path):
    return absolute_url(context["request"], path)


@register.simple_tag(takes_context=True)
def author_urls(context, publication):
    url_for = _url_for(context)
    return [url_for(a.person.get_absolute_url()) for a in publication.ordered_authorships]
