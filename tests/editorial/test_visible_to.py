"""The one gate's staff form: who may open which piece (the preview of an unpublished one)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from publications import rules
from publications.models import Publication
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_visible_to_is_exactly_what_the_rules_let_each_user_open(contributor, editor, make_user):
    outsider = make_user("olga")  # staff, in no group
    public = PublicationFactory()
    own_draft = PublicationFactory(status=Publication.Status.DRAFT, created_by=contributor)
    other_draft = PublicationFactory(status=Publication.Status.IN_REVIEW, created_by=editor)
    pieces = [public, own_draft, other_draft]
    for user in (AnonymousUser(), outsider, contributor, editor):
        visible = set(Publication.objects.visible_to(user).filter(pk__in=[p.pk for p in pieces]))
        expected = {p for p in pieces if p.is_public or rules.can_view_unpublished(user, p)}
        assert visible == expected, user
    assert set(Publication.objects.visible_to(contributor)) == {public, own_draft}
    assert set(Publication.objects.visible_to(editor)) == set(pieces)
    assert set(Publication.objects.visible_to(AnonymousUser())) == {public}
    assert set(Publication.objects.visible_to(outsider)) == {public}
