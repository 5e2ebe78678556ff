"""What a mail provider reports back (django-anymail's tracking webhooks, mounted when a provider
is configured: see docs/email.md).

A hard bounce, a refusal by the provider or a spam complaint marks the address as failed: nothing
more is sent to it (the sending leaves failed subscribers out). An unsubscription made at the
provider (its own link or the mail program's button, if the provider handles those) removes the
address's subscriptions, as our own one-click link does. Soft bounces ("deferred"), deliveries,
opens and clicks change nothing. Nothing here logs an address.
"""

import logging

from django.utils import timezone

from .models import Subscriber

log = logging.getLogger(__name__)

FAILURES = {
    "bounced": "Bounced (the address does not take mail)",
    "rejected": "Refused by the mail provider",
    "complained": "Marked as spam by its reader",
}


def connect():
    from anymail.signals import tracking

    tracking.connect(on_tracking, dispatch_uid="alerts.webhooks.on_tracking")


def on_tracking(sender, event, esp_name="", **kwargs):
    """Mark the subscriber an event is about as failed, or unsubscribe it, as the event says."""
    if event.event_type not in (*FAILURES, "unsubscribed") or not event.recipient:
        return
    subscriber = Subscriber.objects.filter(email__iexact=str(event.recipient).strip()).first()
    if subscriber is None:
        return  # a staff notice, or an address deleted since
    if event.event_type == "unsubscribed":
        count, _kinds = subscriber.subscriptions.all().delete()
        log.info("Provider %s unsubscribed subscriber %s (%s rows removed)", esp_name, subscriber.pk, count)
        return
    reason = FAILURES[event.event_type]
    if event.reject_reason and event.reject_reason != event.event_type:
        reason = f"{reason}: {event.reject_reason}"
    if esp_name:
        reason = f"{reason} ({esp_name})"
    Subscriber.objects.filter(pk=subscriber.pk, failed_at__isnull=True).update(
        failed_at=event.timestamp or timezone.now(), failure=reason[:200]
    )
    log.info("Provider %s reported subscriber %s as %s", esp_name, subscriber.pk, event.event_type)
