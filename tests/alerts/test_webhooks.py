"""What a mail provider reports (django-anymail's tracking webhooks) marks addresses as failed."""

import base64
import json
import logging

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.urls import include, path

from alerts.models import Subscriber, Subscription
from config.urls import urlpatterns as site

from .conftest import run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("syria")]

# The site with the provider's webhooks mounted, as config/urls.py does when a provider is set.
urlpatterns = [*site, path("email/anymail/", include("anymail.urls"))]


def report(event_type, recipient, **details):
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type=event_type, recipient=recipient, **details),
        esp_name="Postmark",
    )


def test_a_hard_bounce_marks_the_address_failed_and_its_next_alert_is_not_sent(subscribe, draft, publish):
    subscribe("bob@example.org", "topic=syria")
    subscribe("alice@example.org", "topic=syria")
    report("bounced", "Bob@Example.org", reject_reason="bounced")
    bob = Subscriber.objects.get(email="bob@example.org")
    assert bob.failed_at is not None and bob.failure.startswith("Bounced")
    publish(draft)
    run_worker()
    sent_to = [address for message in mail.outbox for address in message.to]
    assert "alice@example.org" in sent_to and "bob@example.org" not in sent_to


@pytest.mark.parametrize(
    ("event_type", "why"), [("rejected", "Refused by the mail provider"), ("complained", "Marked as spam")]
)
def test_a_refusal_or_a_complaint_marks_the_address_failed(subscribe, event_type, why):
    subscribe("bob@example.org", "topic=syria")
    report(event_type, "bob@example.org")
    bob = Subscriber.objects.get(email="bob@example.org")
    assert bob.failed_at is not None and why in bob.failure and "Postmark" in bob.failure


def test_an_unsubscription_at_the_provider_removes_the_addresses_subscriptions(subscribe):
    subscribe("bob@example.org", "topic=syria")
    subscribe("bob@example.org", "")
    subscribe("alice@example.org", "topic=syria")
    report("unsubscribed", "bob@example.org")
    assert not Subscription.objects.filter(subscriber__email="bob@example.org").exists()
    assert Subscription.objects.filter(subscriber__email="alice@example.org").count() == 1


@pytest.mark.parametrize("event_type", ["deferred", "delivered", "opened", "clicked", "unknown"])
def test_a_soft_bounce_or_a_delivery_changes_nothing(subscribe, event_type):
    subscribe("bob@example.org", "topic=syria")
    report(event_type, "bob@example.org")
    bob = Subscriber.objects.get(email="bob@example.org")
    assert bob.failed_at is None and bob.subscriptions.count() == 1


def test_a_report_about_an_unknown_or_missing_address_changes_nothing(subscribe):
    subscribe("bob@example.org", "topic=syria")
    report("bounced", "nobody@example.org")
    report("bounced", None)
    assert not Subscriber.objects.filter(failed_at__isnull=False).exists()


def test_a_later_report_keeps_the_first_failure(subscribe):
    subscribe("bob@example.org", "topic=syria")
    report("complained", "bob@example.org")
    first = Subscriber.objects.get(email="bob@example.org")
    report("bounced", "bob@example.org")
    assert Subscriber.objects.get(email="bob@example.org").failure == first.failure


def test_no_address_is_logged(subscribe, caplog):
    subscribe("bob@example.org", "topic=syria")
    with caplog.at_level(logging.DEBUG):
        report("bounced", "bob@example.org")
        report("unsubscribed", "bob@example.org")
    assert caplog.records and "bob@example.org" not in caplog.text


# Through the provider's real webhook (Postmark's, as one example), with its basic-auth secret.


@pytest.fixture
def webhooks(settings):
    settings.ROOT_URLCONF = __name__
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}


def postmark_bounce(client, address, secret="hook:s3cret"):
    body = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "ID": 42,
        "Email": address,
        "BouncedAt": "2026-03-01T10:00:00Z",
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    }
    auth = "Basic " + base64.b64encode(secret.encode()).decode()
    return client.post(
        "/email/anymail/postmark/tracking/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )


def test_the_providers_bounce_webhook_marks_the_address_failed(client, webhooks, subscribe):
    subscribe("bob@example.org", "topic=syria")
    assert postmark_bounce(client, "bob@example.org").status_code == 200
    assert Subscriber.objects.get(email="bob@example.org").failed_at is not None


def test_a_forged_webhook_call_without_the_secret_changes_nothing(client, webhooks, subscribe):
    subscribe("bob@example.org", "topic=syria")
    response = postmark_bounce(client, "bob@example.org", secret="hook:guess")
    assert response.status_code in (400, 401, 403)
    assert Subscriber.objects.get(email="bob@example.org").failed_at is None
