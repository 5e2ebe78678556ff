"""Script typed or pasted into any field never runs on any page."""

import pytest
from django.urls import reverse

from publications.models import Publication

pytestmark = pytest.mark.django_db

ATTACKS = {
    "title": "<script>alert('title')</script>Title",
    "summary": "<img src=x onerror=alert('summary')>Dek",
    "body": (
        "<p>Body <script>alert('body')</script>"
        '<a href="javascript:alert(1)">click</a> <img src="x" onerror="alert(2)" alt="x">'
        '<a href="https://example.org/" onclick="alert(3)">safe</a></p>'
    ),
    "outlet_name": "<script>alert('outlet')</script>Outlet",
}


def test_script_in_any_field_never_runs_on_any_page(as_user, editor, piece_form, client):
    data = piece_form(status="published", publish_at_0="2024-01-01", publish_at_1="09:00", **ATTACKS)
    assert as_user(editor).post(reverse("admin:publications_publication_add"), data).status_code == 302
    piece = Publication.objects.get()
    assert "<script" not in piece.body and "onerror" not in piece.body and "javascript:" not in piece.body
    assert 'href="https://example.org/"' in piece.body and "onclick" not in piece.body
    client.logout()
    for url in (piece.get_absolute_url(), "/", "/policy-analysis/", "/feeds/rss/", "/feeds/atom/"):
        text = client.get(url).text
        assert "<script>alert" not in text, url
        assert "<img src=x onerror" not in text, url
        assert 'onerror="alert' not in text and "javascript:alert" not in text, url
