"""The admin works under the strict Content-Security-Policy: every page an editor uses loads with
nothing blocked (the new_page fixture fails the test on any violation) and the editor still edits."""

import pytest
from django.contrib.auth import get_user_model

from publications.models import Publication
from publications.roles import roles_sync

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"


@pytest.fixture
def signed_in(live_server, demo_site, new_page):
    roles_sync()
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    page = new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_admin_pages_load_with_nothing_blocked_by_the_policy(live_server, signed_in):
    page, base = signed_in, live_server.url
    piece = Publication.objects.get(slug="netanyahu-and-putin-rendezvous-in-paris")
    person = piece.authors.get()
    response = page.goto(f"{base}/admin/publications/publication/{piece.pk}/change/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    # The editor came up: its toolbar is there and its text is editable.
    page.wait_for_selector(".prose-menubar")
    assert page.locator(".ProseMirror[contenteditable=true]").count() == 1
    for path in (
        "/admin/",
        "/admin/publications/publication/",
        "/admin/publications/publication/?status__exact=published&q=Putin",
        f"/admin/publications/publication/{piece.pk}/history/",
        "/admin/publications/publication/add/",
        f"/admin/people/person/{person.pk}/change/",
        "/admin/people/fellowship/",
        "/admin/publications/topic/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    # The date picker and the select-all checkbox (admin JavaScript) still work.
    page.goto(f"{base}/admin/publications/publication/")
    page.check("#action-toggle")
    assert page.locator("input.action-select:checked").count() > 0
