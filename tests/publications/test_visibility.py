"""The published() gate: drafts, pieces in review, scheduled and archived ones never go public."""

import pytest
from django.urls import reverse

from publications.models import Publication
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def public_urls(piece):
    topic = piece.topics.get()
    region = piece.regions.get()
    return [
        reverse("publications:home"),
        reverse("publications:list"),
        f"{reverse('publications:list')}?type={piece.type.slug}",
        reverse("publications:topic", args=[topic.slug]),
        reverse("publications:region", args=[region.slug]),
        reverse("publications:expert", args=["hidden-author"]),
        reverse("publications:feed-rss"),
        reverse("publications:feed-atom"),
    ]


def test_only_published_pieces_whose_time_has_come_pass_the_gate(hidden_pieces):
    visible = PublicationFactory()
    assert list(Publication.objects.published()) == [visible]


def test_hidden_pieces_appear_on_no_public_page_or_feed(client, hidden_pieces):
    PublicationFactory(title="A public piece")
    for piece in hidden_pieces:
        for url in public_urls(piece):
            response = client.get(url)
            assert response.status_code == 200, url
            assert piece.title not in response.text, f"{piece.title} leaked on {url}"
            assert piece.get_absolute_url() not in response.text, url


def test_hidden_pieces_have_no_page_and_no_short_link(client, hidden_pieces):
    for piece in hidden_pieces:
        assert client.get(piece.get_absolute_url()).status_code == 404
        assert client.get(piece.get_short_url()).status_code == 404


def test_hidden_pieces_are_not_counted(client, hidden_pieces):
    topic = hidden_pieces[0].topics.get()
    response = client.get(reverse("publications:topic", args=[topic.slug]))
    assert response.context["paginator"].count == 0
    assert "0 pieces" in response.text


def test_a_scheduled_piece_goes_public_when_its_time_comes(client, hidden_pieces, settings):
    import datetime

    from django.utils import timezone

    scheduled = next(p for p in hidden_pieces if p.slug == "unpublished-scheduled")
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    Publication.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(scheduled.get_absolute_url()).status_code == 200
