"""A provider's API (django-anymail) that rejects an address or fails: the address's mail fails,
the others are tried again then sent, no task fails and no address reaches a log line."""

import pytest
from django.core import mail

from alerts.models import Mailing, Subscription
from alerts.subscribing import send_confirmation

from . import provider
from .conftest import make_due, run_worker, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def through_provider(settings):
    settings.MAILERS = provider.mailers()
    settings.ALERTS_RETRY_SECONDS = 60  # retries wait for the test to make them due
    provider.Provider.suppressed, provider.Provider.unavailable = set(), set()
    provider.Provider.down = False
    mail.outbox = []


def test_an_address_the_provider_rejects_fails_and_an_api_error_is_tried_again(
    subscribe, draft, publish, caplog
):
    for address in ("kept@example.org", "suppressed@example.org", "paused@example.org"):
        subscribe(address, "topic=syria")
    provider.Provider.suppressed = {"suppressed@example.org"}
    provider.Provider.unavailable = {"paused@example.org"}
    publish(draft)
    run_worker()

    states = {
        m.subscription.subscriber.email: (m.status, m.attempts, m.error)
        for m in Mailing.objects.select_related("subscription__subscriber")
    }
    assert states["kept@example.org"] == ("sent", 1, "")
    assert states["suppressed@example.org"] == ("failed", 1, "The mail provider refused the address.")
    assert states["paused@example.org"][:2] == ("pending", 1)
    assert states["paused@example.org"][2].startswith("The mail provider answered: ")
    assert "Sending to <address> is paused for this account." in states["paused@example.org"][2]
    assert set(tasks(status="FAILED")) == set()  # no task failed, so none holds a traceback
    assert "@example.org" not in caplog.text

    provider.Provider.unavailable = set()
    make_due("send_mailings")
    Mailing.objects.filter(status="pending").update(due_at=Mailing.objects.get(status="sent").due_at)
    run_worker()
    assert Mailing.objects.get(subscription__subscriber__email="paused@example.org").status == "sent"
    assert sorted(m.to[0] for m in mail.outbox if m.anymail_status.status == {"sent"}) == [
        "kept@example.org",
        "paused@example.org",
    ]


def test_a_provider_that_is_down_makes_the_chunk_wait_without_spending_the_others_attempts(
    subscribe, draft, publish
):
    for index in range(3):
        subscribe(f"reader{index}@example.org", "topic=syria")
    provider.Provider.down = True
    publish(draft)
    run_worker()

    attempts = list(Mailing.objects.order_by("pk").values_list("status", "attempts"))
    assert attempts == [("pending", 1), ("pending", 0), ("pending", 0)]  # one tried; the rest wait with it
    assert len({m.due_at for m in Mailing.objects.all()}) == 1


def test_a_confirmation_the_provider_rejects_is_given_up_at_once_without_the_address_logged(
    subscribe, syria, caplog
):
    subscription = subscribe("suppressed@example.org", "topic=syria", confirmed=False)
    provider.Provider.suppressed = {"suppressed@example.org"}

    assert send_confirmation.call(subscription.pk) == "failed"
    assert not tasks("send_confirmation").exists()  # not queued again
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert "@example.org" not in caplog.text
