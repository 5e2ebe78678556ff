"""Bad input and abuse of the subscription form: each gets a clear answer and changes nothing it
should not, and no answer tells whether an address is subscribed."""

import logging

import pytest
from django.core import mail

from alerts.models import Selection, Subscriber, Subscription

from .conftest import run_worker
from .reader import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Return a function posting the form (to follow Syria unless told) and running the worker."""

    def act(email, follow="topic=syria", frequency="instant", **headers):
        fields = {"email": email, "follow": follow, "frequency": frequency}
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(client, "/email/subscribe/", fields, **headers)
        run_worker()
        return response

    return act


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("a@b.c\r\nBcc: victim@example.org", "cannot contain line breaks"),
        ("a@example.org\nSubject: hi", "cannot contain line breaks"),
        ("reader@example.org%0d%0aBcc:x@y.z", "Enter an email address like name@example.org."),
        ("a" * 250 + "@example.org", "at most 254 characters"),
        ("not an address", "Enter an email address like name@example.org."),
        ("", "Enter your email address."),
    ],
)
def test_a_bad_address_gets_its_message_beside_the_field_and_nothing_is_sent(post, syria, email, message):
    response = post(email)

    assert response.status_code == 400
    field = response.text[response.text.index('<div class="subscribe__field') :]
    assert message in field[: field.index("</div>")]
    assert 'aria-invalid="true"' in response.text
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_a_bad_frequency_or_a_huge_selection_is_a_400_not_a_500(post, syria):
    assert post("a@example.org", frequency="hourly").status_code == 400
    assert post("a@example.org", follow="q=" + "x" * 5000).status_code == 400
    assert post("a@example.org", follow="topic=syria&topic=" + "&topic=".join(["x"] * 500)).status_code == 400
    assert not Subscriber.objects.exists()


def test_an_unknown_topic_or_a_filter_that_has_ended_is_explained(post):
    unknown = post("a@example.org", follow="topic=atlantis")
    ended = post("a@example.org", follow="to=2001-12-31")

    assert unknown.status_code == 400 and "There is no topic called “atlantis”." in unknown.text
    assert ended.status_code == 400 and "no new piece could ever match them" in ended.text
    assert not Selection.objects.exists() and mail.outbox == []


def test_subscribing_one_address_100_times_makes_one_subscription(post, syria, settings):
    settings.ALERTS_RATE_PER_ADDRESS = settings.ALERTS_RATE_PER_CLIENT = 1000

    answers = {post(email).status_code for email in ["Reader@Example.org", "reader@example.org"] * 50}

    assert answers == {302}
    assert Subscriber.objects.count() == 1 and Subscription.objects.count() == 1
    assert Selection.objects.count() == 1


def test_an_address_asked_for_too_often_is_told_to_wait_and_sent_nothing_more(post, syria, settings):
    limit = settings.ALERTS_RATE_PER_ADDRESS

    answers = [post("reader@example.org").status_code for _ in range(100)]

    assert answers == [302] * limit + [429] * (100 - limit)
    assert len(mail.outbox) == limit
    assert Subscription.objects.count() == 1
    limited = post("reader@example.org")
    assert "try again later" in limited.text and "no-store" in limited["Cache-Control"]


def test_a_client_asking_for_many_addresses_is_told_to_wait(post, syria, settings):
    limit = settings.ALERTS_RATE_PER_CLIENT

    answers = [post(f"reader{i}@example.org").status_code for i in range(limit + 3)]

    assert answers == [302] * limit + [429] * 3
    assert Subscriber.objects.count() == limit


def test_the_answer_is_the_same_whatever_the_address_is(client, post, subscribe, syria):
    subscribe("confirmed@example.org", "topic=syria")
    subscribe("waiting@example.org", "topic=syria", confirmed=False)
    subscribe("bounced@example.org", "topic=syria", failed=True)

    answers = []
    for email in ("new@example.org", "confirmed@example.org", "waiting@example.org", "bounced@example.org"):
        response = post(email)
        page = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], page.status_code, page.text.count("\n")))
    assert len(set(answers)) == 1
    # ...and so is the limit: a subscribed address is limited exactly like a new one.
    limited = {post(email).status_code for email in ["confirmed@example.org", "new@example.org"] * 5}
    assert limited == {302, 429}
    assert [message.to for message in mail.outbox][:3] == [
        ["new@example.org"],
        ["confirmed@example.org"],
        ["waiting@example.org"],
    ]  # a bounced address is sent nothing


def test_a_form_posted_from_another_site_is_refused_and_says_why(post, syria):
    from_elsewhere = post("reader@example.org", HTTP_ORIGIN="https://evil.example")
    by_referer = post("reader@example.org", HTTP_ORIGIN="", HTTP_REFERER="https://evil.example/page")
    null_origin = post("reader@example.org", HTTP_ORIGIN="null")

    for response in (from_elsewhere, by_referer, null_origin):
        assert response.status_code == 403
        assert "This form was sent from another site" in response.text
    assert not Subscriber.objects.exists() and mail.outbox == []
    assert (
        post("reader@example.org", HTTP_ORIGIN="", HTTP_REFERER="http://testserver/topics/syria/").status_code
        == 302
    )


def test_no_address_is_written_to_the_logs(post, client, syria, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="publications.request")

    post("secret.reader@example.org")
    post("secret.reader@example.org\r\nBcc: other.secret@example.org")
    link = next(word for word in mail.outbox[0].body.split() if "/email/confirm/" in word)
    client.post(link.replace("http://127.0.0.1:8000", ""))

    assert any(record.name == "publications.request" for record in caplog.records)
    for record in caplog.records:
        assert "secret" not in record.getMessage()
        assert "secret" not in str(record.__dict__)


def test_other_methods_are_refused(client):
    assert client.put("/email/subscribe/").status_code == 405
    assert client.delete("/email/manage/x/").status_code == 405
