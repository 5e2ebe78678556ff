"""Leaving and changing: unsubscribe by link or by a mail program's one-click POST (RFC 8058), and
the preference page reached by its signed link, without signing in."""

import pytest
from django.test import Client

from alerts import links
from alerts.models import Dispatch, Mailing, Subscriber, Subscription
from tests.factories import PublicationFactory, RegionFactory

from .reader import forms_of, path_of

pytestmark = pytest.mark.django_db
NOW = "2026-01-05T12:00Z"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def reader(subscribe, syria):
    """An address following Syria (confirmed) and Iran (waiting), and someone else's subscription."""
    RegionFactory(name="Iran", slug="iran")
    syria_sub = subscribe("reader@example.org", "topic=syria")
    iran_sub = subscribe("reader@example.org", "region=iran", confirmed=False, frequency="weekly")
    other = subscribe("other@example.org", "topic=syria")
    return syria_sub, iran_sub, other


def unsubscribe_path(subscription):
    return path_of(links.unsubscribe_url(subscription))


def manage_path(subscriber):
    return path_of(links.manage_url(subscriber))


def test_the_unsubscribe_link_asks_first_then_removes_the_subscription_at_once(client, reader):
    syria_sub, iran_sub, _other = reader
    url = unsubscribe_path(syria_sub)

    page = client.get(url)
    assert page.status_code == 200 and "Stop getting" in page.text and "Analysis on Syria" in page.text
    assert Subscription.objects.filter(pk=syria_sub.pk).exists()  # a mail scanner's GET changes nothing
    assert "no-store" in page["Cache-Control"] and 'content="noindex"' in page.text

    done = client.post(url)
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert "You will no longer get" in done.text and manage_path(syria_sub.subscriber) in done.text
    assert not Subscription.objects.filter(pk=syria_sub.pk).exists()
    assert Subscription.objects.filter(pk=iran_sub.pk).exists()  # only that one


def test_a_mail_programs_one_click_post_unsubscribes_without_cookies_or_csrf(reader):
    syria_sub, _iran, _other = reader
    provider = Client(enforce_csrf_checks=True)
    url = unsubscribe_path(syria_sub)

    response = provider.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    again = provider.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200 and again.status_code == 200
    assert "already been removed" in again.text
    assert not Subscription.objects.filter(pk=syria_sub.pk).exists()


def test_a_forged_unsubscribe_link_is_refused(client, reader):
    syria_sub, _iran, _other = reader
    url = unsubscribe_path(syria_sub)

    for bad in (url[:-5] + "abcd/", "/email/unsubscribe/forged/"):
        response = client.post(bad)
        assert response.status_code == 400 and "This link is not valid" in response.text
    assert Subscription.objects.filter(pk=syria_sub.pk).exists()
    # A manage token is not an unsubscribe token, though both are signed by the site.
    wrong_kind = "/email/unsubscribe/" + manage_path(syria_sub.subscriber).split("/")[-2] + "/"
    assert client.post(wrong_kind).status_code == 400


def test_the_preference_page_lists_each_subscription_with_its_state(client, reader):
    syria_sub, iran_sub, _other = reader

    page = client.get(manage_path(syria_sub.subscriber))

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and 'content="noindex"' in page.text
    assert "For reader@example.org" in page.text and "other@example.org" not in page.text
    assert '<a href="/topics/syria/">Analysis on Syria</a>' in page.text
    assert '<a href="/regions/iran/">Analysis in Iran</a>' in page.text
    assert "Confirmed on" in page.text and "Waiting for confirmation" in page.text
    assert '<option value="weekly" selected>Weekly digest</option>' in page.text


def _post_form(client, url, action, of=None, **fields):
    """Submit the page's own form for ``action`` (with its CSRF token), as a browser does."""
    page = client.get(url)
    for form in forms_of(page.text):
        values = form["fields"]
        if values.get("action") == action and (of is None or values.get("subscription") == str(of.pk)):
            return client.post(url, {**values, **fields})
    raise AssertionError(f"no {action} form")


def test_changing_a_frequency_and_removing_one_or_all_from_the_page(reader):
    syria_sub, iran_sub, other = reader
    browser = Client(enforce_csrf_checks=True)
    url = manage_path(syria_sub.subscriber)

    changed = _post_form(browser, url, "frequency", syria_sub, frequency="weekly")
    assert changed.status_code == 302
    assert "you will now get a weekly digest" in browser.get(url).text
    syria_sub.refresh_from_db()
    assert syria_sub.frequency == "weekly"

    _post_form(browser, url, "remove", iran_sub)
    assert "You will no longer get “Analysis in Iran”." in browser.get(url).text
    assert not Subscription.objects.filter(pk=iran_sub.pk).exists()

    Subscription.objects.create(subscriber=syria_sub.subscriber, selection=iran_sub.selection)
    _post_form(browser, url, "remove-all")
    assert "This address follows nothing now" in browser.get(url).text
    assert not syria_sub.subscriber.subscriptions.exists()
    assert Subscription.objects.filter(pk=other.pk).exists()


def test_deleting_the_address_deletes_everything_kept_about_it(reader):
    syria_sub, _iran, other = reader
    Mailing.objects.create(kind="digest", subscription=syria_sub, due_at="2030-01-01T07:00Z")
    browser = Client(enforce_csrf_checks=True)
    url = manage_path(syria_sub.subscriber)
    unsubscribe = unsubscribe_path(syria_sub)

    done = _post_form(browser, url, "delete")

    assert done.status_code == 200 and "Your address is deleted" in done.text
    assert not Subscriber.objects.filter(email="reader@example.org").exists()
    assert not Mailing.objects.exists()
    assert Subscription.objects.filter(pk=other.pk).exists()
    assert browser.get(url).status_code == 400  # the old links stop working
    assert browser.post(unsubscribe).status_code == 200  # nothing left to unsubscribe from


def test_readers_who_leave_leave_the_count_of_mail_sent_but_no_trace_of_their_address(reader):
    syria_sub, iran_sub, other = reader
    piece = Dispatch.objects.create(publication=PublicationFactory())
    sent = Mailing.objects.create(
        kind="alert", subscription=syria_sub, dispatch=piece, due_at=NOW, status="sent"
    )
    bounced = Mailing.objects.create(
        kind="alert", subscription=other, dispatch=piece, due_at=NOW, status="failed"
    )
    waiting = Mailing.objects.create(kind="digest", subscription=iran_sub, due_at=NOW)

    Client().post(unsubscribe_path(other), "List-Unsubscribe=One-Click", content_type=FORM)
    _post_form(Client(enforce_csrf_checks=True), manage_path(syria_sub.subscriber), "delete")

    assert not Subscriber.objects.filter(email="reader@example.org").exists()
    assert not Mailing.objects.filter(pk=waiting.pk).exists()  # mail not yet sent goes with them
    kept = Mailing.objects.filter(dispatch=piece).order_by("pk")
    assert [(m.pk, m.status, m.subscription_id) for m in kept] == [
        (sent.pk, "sent", None),
        (bounced.pk, "failed", None),
    ]


def test_old_links_do_not_work_for_an_address_deleted_and_subscribed_again(client, reader, subscribe):
    syria_sub, _iran, _other = reader
    old_manage, old_unsubscribe = manage_path(syria_sub.subscriber), unsubscribe_path(syria_sub)
    Subscriber.objects.filter(email="reader@example.org").delete()
    subscribe("reader@example.org", "topic=syria")

    assert client.get(old_manage).status_code == 400
    assert "already been removed" in client.post(old_unsubscribe).text
    assert Subscription.objects.filter(subscriber__email="reader@example.org").exists()


def test_the_page_cannot_change_another_addresss_subscription(client, reader):
    syria_sub, _iran, other = reader
    url = manage_path(syria_sub.subscriber)

    response = _post_form(client, url, "remove", syria_sub, subscription=str(other.pk))

    assert response.status_code == 302
    assert "That subscription is no longer there." in client.get(url).text
    assert Subscription.objects.filter(pk=other.pk).exists()
    assert Subscription.objects.filter(pk=syria_sub.pk).exists()


def test_the_preference_page_refuses_a_forged_link_and_a_post_without_its_csrf_token(reader):
    syria_sub, _iran, _other = reader
    browser = Client(enforce_csrf_checks=True)
    url = manage_path(syria_sub.subscriber)

    forged = browser.get(url[:-6] + "xxxxx/")
    assert forged.status_code == 400 and "not valid" in forged.text
    assert browser.post(url, {"action": "delete"}).status_code == 403
    assert Subscriber.objects.filter(pk=syria_sub.subscriber.pk).exists()
    assert browser.post(url, {"action": "explode"}).status_code == 403  # no token: refused before reading
