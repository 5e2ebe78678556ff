"""A reader subscribes from a page's own form, gets one mail with a link, and confirms once.

Double opt-in: nothing but the confirmation is sent until its link is followed; the link works
once and expires; a forged one is refused with a page that says so.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from alerts.models import Selection, Subscriber, Subscription
from tests.factories import PersonFactory, PublicationFactory, PublicationTypeFactory, RegionFactory

from .conftest import make_due, run_worker, tasks
from .reader import links_in, parts, path_of, submit, subscribe_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """Return a function: subscribe ``email`` from the form of the page at ``url``, as a reader
    does (the form read out of the page's HTML), then let the worker send what was queued."""

    def act(url, email, frequency=None, worker=True):
        page = client.get(url)
        assert page.status_code == 200
        action, fields = subscribe_form(page.text)
        fields["email"] = email
        if frequency:
            fields["frequency"] = frequency
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(client, action, fields)
        if worker:
            run_worker()
        return response

    return act


def confirm_link(message):
    [url] = [url for url in links_in(message.body) if "/email/confirm/" in url]
    return path_of(url)


def test_subscribing_from_a_topic_page_sends_only_a_confirmation_until_it_is_confirmed(
    client, sign_up, syria, draft, publish
):
    response = sign_up("/topics/syria/", "Reader@Example.org", frequency="weekly")

    assert response.status_code == 302
    inbox = client.get(response["Location"])
    assert "Check your inbox" in inbox.text and "Analysis on Syria" in inbox.text
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert message.subject == "Confirm your subscription to “Analysis on Syria”"
    subscription = Subscription.objects.get()
    assert subscription.selection.query == "topic=syria"
    assert subscription.frequency == "weekly" and subscription.confirmed_at is None

    publish(draft)  # a piece the selection matches, while still unconfirmed
    run_worker()
    assert len(mail.outbox) == 1


def test_the_confirmation_mail_has_html_and_text_parts_and_its_link_confirms_once(client, sign_up, syria):
    sign_up("/topics/syria/", "reader@example.org")
    [message] = mail.outbox
    text, html = parts(message)
    link = confirm_link(message)
    assert "Someone, probably you, asked to get “Analysis on Syria”" in text
    assert "This link works once, for 72 hours." in text
    assert "If you did not ask for this, ignore this mail" in text
    assert f'href="http://127.0.0.1:8000{link}"' in html
    assert "Confirm my subscription" in html and 'style="' in html and "<style" not in html
    assert "List-Unsubscribe" not in message.extra_headers  # not subscribed yet

    page = client.get(link)  # what a mail scanner does: it confirms nothing
    assert page.status_code == 200 and "Confirm your subscription" in page.text
    assert Subscription.objects.get().confirmed_at is None
    assert page["Cache-Control"].count("no-store") == 1
    assert '<meta name="robots" content="noindex">' in page.text

    done = client.post(link)
    assert done.status_code == 200 and "You are subscribed" in done.text
    assert Subscription.objects.get().confirmed_at is not None
    again = client.post(link)
    assert again.status_code == 200 and "Already confirmed" in again.text
    assert "this link has been used" in again.text


def test_a_confirmation_link_stops_working_after_its_hours(client, sign_up, syria, settings):
    sign_up("/topics/syria/", "reader@example.org")
    link = confirm_link(mail.outbox[0])
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        hours=settings.ALERTS_CONFIRM_HOURS, minutes=1
    )

    with freeze_time(later):
        page = client.get(link)
        posted = client.post(link)

    assert page.status_code == 410 and "This link has expired" in page.text
    assert "ask for a new link" in page.text
    action, fields = subscribe_form(page.text)  # it offers to subscribe again, to the same thing
    assert action == "/email/subscribe/" and fields["follow"] == "topic=syria"
    assert posted.status_code == 410
    assert Subscription.objects.get().confirmed_at is None


def test_a_request_nobody_confirms_is_forgotten_when_its_link_expires(client, sign_up, syria, settings):
    sign_up("/topics/syria/", "typed-by-someone-else@example.org")
    [forget] = tasks("forget_unconfirmed", "READY")
    expires = timezone.now() + datetime.timedelta(hours=settings.ALERTS_CONFIRM_HOURS)
    day_after = expires + datetime.timedelta(days=1)
    assert abs((forget.run_after - day_after).total_seconds()) < 60

    make_due("forget_unconfirmed")
    run_worker()
    assert not Subscription.objects.exists()
    assert not Subscriber.objects.exists()  # the address is not kept

    with freeze_time(forget.run_after):  # the old link still offers to follow the same thing
        page = client.get(confirm_link(mail.outbox[0]))
    assert page.status_code == 410 and "Analysis on Syria" in page.text
    assert subscribe_form(page.text)[1]["follow"] == "topic=syria"


def test_a_confirmed_or_asked_again_request_is_not_forgotten(client, sign_up, syria):
    sign_up("/topics/syria/", "confirmed@example.org")
    client.post(confirm_link(mail.outbox[0]))
    sign_up("/topics/syria/", "again@example.org")
    sign_up("/topics/syria/", "again@example.org")  # a new link, with its own time to run out
    first, second, latest = tasks("forget_unconfirmed", "READY").order_by("run_after")

    tasks().filter(pk__in=[first.pk, second.pk]).update(run_after=timezone.now())
    run_worker()
    assert Subscription.objects.count() == 2

    tasks().filter(pk=latest.pk).update(run_after=timezone.now())
    run_worker()
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["confirmed@example.org"]


def test_a_forged_or_altered_confirmation_link_is_refused(client, sign_up, syria):
    sign_up("/topics/syria/", "reader@example.org")
    link = confirm_link(mail.outbox[0])
    token = link.split("/")[-2]
    altered = link.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))

    for url in (altered, "/email/confirm/not-a-token/", "/email/confirm/" + "x" * 3000 + "/"):
        response = client.post(url)
        assert response.status_code == 400, url
        assert "This link is not valid" in response.text
    assert Subscription.objects.get().confirmed_at is None


def test_only_the_latest_confirmation_link_works(client, sign_up, syria):
    sign_up("/topics/syria/", "reader@example.org")
    sign_up("/topics/syria/", "reader@example.org")
    first, second = (confirm_link(message) for message in mail.outbox)

    replaced = client.post(first)
    assert replaced.status_code == 410 and "used or replaced" in replaced.text
    assert client.post(second).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_a_link_to_a_removed_subscription_says_so(client, sign_up, syria):
    sign_up("/topics/syria/", "reader@example.org")
    link = confirm_link(mail.outbox[0])
    Subscriber.objects.all().delete()

    response = client.get(link)
    assert response.status_code == 400 and "has been removed" in response.text


def test_an_address_already_confirmed_is_told_so_by_mail_and_nothing_changes(
    client, sign_up, subscribe, syria
):
    subscription = subscribe("reader@example.org", "topic=syria", frequency="instant")

    response = sign_up("/topics/syria/", "reader@example.org", frequency="weekly")

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "You already get “Analysis on Syria” by email"
    assert "/email/confirm/" not in message.body
    [manage] = [url for url in links_in(message.body) if "/email/manage/" in url]
    assert client.get(path_of(manage)).status_code == 200
    subscription.refresh_from_db()
    assert subscription.frequency == "instant" and subscription.confirmed_at is not None


def test_the_real_worker_sends_the_confirmation_through_smtp(client, sign_up, syria, smtp_server):
    sign_up("/topics/syria/", "reader@example.org")

    [message] = smtp_server.to("reader@example.org")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    [link] = [url for url in links_in(text) if "/email/confirm/" in url]
    assert link in html
    assert client.post(path_of(link)).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_a_refusing_mail_server_is_tried_again_later_and_the_mail_arrives_once(
    client, sign_up, syria, smtp_server, settings
):
    settings.ALERTS_RETRY_SECONDS = 0  # due again at once, so this test's worker retries it
    smtp_server.refuse(2)

    response = sign_up("/topics/syria/", "reader@example.org")
    run_worker()

    assert response.status_code == 302
    assert len(smtp_server.to("reader@example.org")) == 1
    results = [row.return_value for row in tasks("send_confirmation").order_by("enqueued_at")]
    assert results == ["retrying", "retrying", "sent"]


def test_a_mail_server_that_never_answers_gives_up_without_failing_the_task(
    client, sign_up, syria, smtp_server, settings
):
    settings.ALERTS_RETRY_SECONDS = 0
    settings.ALERTS_MAX_ATTEMPTS = 3
    smtp_server.refuse(10, permanent=True)

    sign_up("/topics/syria/", "reader@example.org")
    run_worker()

    assert smtp_server.to("reader@example.org") == []
    rows = tasks("send_confirmation")
    assert rows.count() == 3 and not rows.exclude(status="SUCCESSFUL").exists()
    assert Subscription.objects.get().confirmed_at is None


def test_the_standalone_page_shows_the_form_for_a_selection(client, syria):
    response = client.get("/email/subscribe/", {"follow": "topic=syria&sort=oldest"})

    assert response.status_code == 200
    assert "Analysis on Syria" in response.text
    action, fields = subscribe_form(response.text)
    assert fields == {"follow": "topic=syria", "frequency": "instant", "email": ""}
    assert "no-store" in response["Cache-Control"]


def test_following_a_search_that_matches_nothing_yet_says_so(client, sign_up, syria, draft, publish):
    response = sign_up("/search/?q=xylophone", "reader@example.org")
    page = client.get(response["Location"])
    assert "Nothing published so far matches this" in page.text
    assert Subscription.objects.get().selection.query == "q=xylophone"  # followed all the same

    sent_for_syria = sign_up("/topics/syria/", "reader@example.org")["Location"]
    assert "Nothing published so far" in client.get(sent_for_syria).text  # only a draft on Syria
    publish(draft)
    assert "Nothing published so far" not in client.get(sent_for_syria).text


@pytest.mark.parametrize(
    ("follow", "message"),
    [
        ("topic=atlantis", "There is no topic called “atlantis”."),
        ("to=2001-01-01", "These filters end on a day that has passed"),
        ("from=2015-13-45", "“From” must be a date"),
    ],
)
def test_a_selection_that_cannot_be_followed_gets_a_clear_message(client, follow, message):
    page = client.get("/email/subscribe/", {"follow": follow})
    posted = submit(
        client, "/email/subscribe/", {"email": "a@example.org", "frequency": "instant", "follow": follow}
    )

    for response in (page, posted):
        assert response.status_code == 400
        assert message in response.text
        assert 'class="subscribe"' not in response.text
    assert not Subscriber.objects.exists() and not Selection.objects.exists()
    assert mail.outbox == []


def _follow_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "csrfmiddlewaretoken" not in response.text and not response.cookies  # cacheable
    return subscribe_form(response.text)[1]["follow"]


def test_every_page_with_a_feed_has_a_form_following_what_it_shows(client, syria):
    PublicationTypeFactory(name="PolicyWatch", slug="policywatch")
    RegionFactory(name="Iran", slug="iran")
    person = PersonFactory(name="Dana Stroul", slug="dana-stroul")
    PublicationFactory(topics=[syria], authors=[person])
    year = datetime.date.today().year

    assert _follow_of(client, "/") == ""
    assert _follow_of(client, "/policy-analysis/") == ""
    assert _follow_of(client, "/policy-analysis/?type=policywatch") == "type=policywatch"
    assert (
        _follow_of(client, "/policy-analysis/?sort=oldest&region=iran&topic=syria&page=1&type=policywatch")
        == "type=policywatch&topic=syria&region=iran"
    )
    assert _follow_of(client, "/search/?q=missile") == "q=missile"
    assert _follow_of(client, "/topics/syria/") == "topic=syria"
    assert _follow_of(client, "/regions/iran/") == "region=iran"
    assert _follow_of(client, "/experts/dana-stroul/") == "expert=dana-stroul"
    assert _follow_of(client, f"/policy-analysis/archive/{year}/") == f"from={year}-01-01&to={year}-12-31"
    # A mistyped date is left out of the page's filters, so out of what its form follows.
    assert _follow_of(client, "/policy-analysis/?topic=syria&from=2015-13-45") == "topic=syria"


def test_a_page_whose_filters_have_ended_shows_no_form(client):
    response = client.get("/policy-analysis/archive/2001/")

    assert response.status_code == 200
    assert 'class="subscribe"' not in response.text


def test_the_form_has_a_visible_label_and_a_choice_of_frequency(client):
    html = client.get("/").text
    form = html[html.index('<form class="subscribe"') :]
    form = form[: form.index("</form>")]

    assert '<label for="subscribe-email">Email address</label>' in form
    assert 'autocomplete="email"' in form and 'type="email"' in form
    assert re.search(r'value="instant" checked> Each new piece', form)
    assert 'value="weekly"> Weekly digest' in form
    assert 'href="/privacy/"' in form
