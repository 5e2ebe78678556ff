"""Script typed or pasted into any field never runs on any page."""

import pytest
from django.urls import reverse

from publications.models import Publication
from publications.sanitize import sanitize_html

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


def cell(attributes):
    return sanitize_html(f"<table><tr><td {attributes}>cell</td></tr></table>")


def test_a_huge_colspan_is_dropped_and_the_cell_kept():
    assert cell('colspan="99999999"') == "<table><tbody><tr><td>cell</td></tr></tbody></table>"


def test_a_small_colspan_or_rowspan_is_kept():
    assert '<td colspan="3" rowspan="50">cell</td>' in cell('colspan="3" rowspan="50"')


@pytest.mark.parametrize("value", ["3x", "-1", "0", "51", "+3", " 3", "1e3", "", "99999999999999999999"])
def test_a_span_that_is_not_an_integer_from_1_to_50_is_dropped(value):
    assert "<td>cell</td>" in cell(f'colspan="{value}" rowspan="{value}"')


def test_header_cells_are_bounded_like_data_cells():
    html = sanitize_html('<table><tr><th colspan="2" rowspan="500" scope="col">h</th></tr></table>')
    assert '<th colspan="2" scope="col">h</th>' in html


@pytest.mark.parametrize(("value", "kept"), [("0", True), ("10000", True), ("10001", False), ("-2", False)])
def test_a_list_start_is_kept_only_from_0_to_10000(value, kept):
    html = sanitize_html(f'<ol start="{value}"><li>x</li></ol>')
    assert (f'start="{value}"' in html) is kept
    assert "<li>x</li>" in html


@pytest.mark.parametrize(
    ("value", "kept"), [("1", True), ("10000", True), ("0", False), ("10001", False), ("50%", False)]
)
def test_an_image_size_is_kept_only_from_1_to_10000(value, kept):
    html = sanitize_html(f'<img src="https://example.org/a.png" alt="a" width="{value}" height="{value}">')
    assert (f'width="{value}"' in html) is kept
    assert (f'height="{value}"' in html) is kept
    assert 'src="https://example.org/a.png"' in html
