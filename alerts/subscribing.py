"""Asking to follow a selection by email, and the one mail that asking sends: the confirmation.

Double opt-in: a request makes (or finds) the subscription, unconfirmed, and mails a link to the
address; nothing else is sent to it until that link is followed. Whatever the address's state
(new, waiting, already confirmed, bounced) the reader is told the same thing, so the form cannot be
used to learn who subscribes to what. An address already confirmed for the selection is told so
by mail, with its preference page, instead of being asked again; an address marked as failed (a
hard bounce, a complaint) is sent nothing.

A request nobody confirms is forgotten a day after its link expires (``forget_unconfirmed``,
queued with it; the day covers a confirmation mail sent late, after retries): an address
someone else typed into the form is not kept.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from . import links, mail
from .delivery import FAIL, outcome
from .models import Subscriber, Subscription
from .selections import selection_for

log = logging.getLogger("alerts.subscribing")


@transaction.atomic
def subscription_request(*, email, query, frequency):
    """Record a request for ``email`` to follow ``query`` and queue its confirmation mail.

    Subscribing again to what an address already follows reuses its subscription: one row per
    address and selection however often it is asked for. Each request gives a waiting
    subscription a new confirmation nonce (only the latest mail's link works) and the frequency
    asked for; a confirmed one keeps its frequency (the preference page changes it, not a form
    anyone can post).
    """
    subscriber = _locked_subscriber(email)
    selection = selection_for(query)
    subscription, created = Subscription.objects.get_or_create(
        subscriber=subscriber, selection=selection, defaults={"frequency": frequency}
    )
    if subscription.confirmed_at is None:
        subscription.frequency = frequency
        subscription.confirm_nonce = secrets.token_urlsafe(24)
        subscription.save(update_fields=["frequency", "confirm_nonce"])
    if subscriber.failed_at is None:
        transaction.on_commit(lambda: _enqueue(subscription.pk, subscription.confirm_nonce))
    return subscription


def _locked_subscriber(email):
    """Return the address's row, made if need be and locked until the request commits (a task
    forgetting an unconfirmed request may be deleting it at this very moment)."""
    while True:
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        locked = Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()
        if locked is not None:
            return locked


def _enqueue(subscription_id, nonce):
    """Queue the mail, and the forgetting of the request if it is not confirmed in time; a queue
    that is down is logged, never shown to the reader as a fault."""
    expired = timezone.now() + datetime.timedelta(hours=settings.ALERTS_CONFIRM_HOURS, days=1)
    try:
        send_confirmation.enqueue(subscription_id)
        if nonce:
            forget_unconfirmed.using(run_after=expired).enqueue(subscription_id, nonce)
    except Exception:
        log.exception("Could not queue the confirmation mail of subscription %s", subscription_id)


@task
def forget_unconfirmed(subscription_id, nonce):
    """Delete a request whose confirmation link (the one with ``nonce``) has expired unused, and
    its address when that follows nothing else. A later request for it has a new nonce and its
    own task; a confirmed one is kept; a failed address is kept so nothing is sent to it again."""
    request = Subscription.objects.filter(pk=subscription_id)
    subscriber_id = request.values_list("subscriber", flat=True).first()
    with transaction.atomic():
        # The address first, as a request for it locks it: the two never cross.
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        waiting = Subscription.objects.filter(pk=subscription_id, confirmed_at=None, confirm_nonce=nonce)
        if subscriber is None or not waiting.delete()[0]:
            return "kept"
        if subscriber.failed_at is None and not subscriber.subscriptions.exists():
            subscriber.delete()
    return "forgotten"


def retry_delay(attempt):
    """Wait longer after each failure: ALERTS_RETRY_SECONDS, doubled each time, capped."""
    first = getattr(settings, "ALERTS_RETRY_SECONDS", 60)
    cap = getattr(settings, "ALERTS_RETRY_MAX_SECONDS", 3600)
    return datetime.timedelta(seconds=min(first * 2 ** (attempt - 1), cap))


@task
def send_confirmation(subscription_id, attempt=1):
    """Send the confirmation mail of a subscription (or, if it is confirmed, say so).

    A mail server (or provider) that refuses or times out is tried again later, up to
    ALERTS_MAX_ATTEMPTS times; an address it will never take is given up at once. The task
    itself never fails, so the queue holds no error with an address in it.
    Returns what happened, for the task's result.
    """
    subscription = (
        Subscription.objects.select_related("subscriber", "selection").filter(pk=subscription_id).first()
    )
    if subscription is None or subscription.subscriber.failed_at is not None:
        return "nothing to send"
    message = confirmation_mail(subscription)
    try:
        message.send()
    except Exception as error:  # sorted out by outcome(); logged by its type only
        if attempt >= settings.ALERTS_MAX_ATTEMPTS or outcome(error) == FAIL:
            log.warning(
                "Gave up on the confirmation mail of subscription %s after %s attempts: %s",
                subscription_id,
                attempt,
                type(error).__name__,
            )
            return "failed"
        run_after = timezone.now() + retry_delay(attempt)
        send_confirmation.using(run_after=run_after).enqueue(subscription_id, attempt + 1)
        log.info(
            "Confirmation mail of subscription %s: retrying after %s", subscription_id, type(error).__name__
        )
        return "retrying"
    return "sent"


def confirmation_mail(subscription):
    """Return the mail asking to confirm ``subscription``, or saying it already is."""
    subscriber, selection = subscription.subscriber, subscription.selection
    already = subscription.confirmed_at is not None
    context = {
        "already": already,
        "label": selection.label,
        "page_url": links.site_url(selection.page),
        "frequency": subscription.get_frequency_display(),
        "weekly": subscription.frequency == Subscription.Frequency.WEEKLY,
        "confirm_url": None if already else links.confirm_url(subscription),
        "hours": settings.ALERTS_CONFIRM_HOURS,
        "site_url": links.site_url(""),
        "preferences_url": links.manage_url(subscriber) if already else None,
    }
    return mail.compose("alerts/email/confirm", context, to=subscriber.email)


@transaction.atomic
def preference_change(subscriber, change):
    """Apply one change from the preference page and return what to tell the reader, or None
    when the address itself was deleted (and everything kept about it, by cascade)."""
    action, subscription = change["action"], change.get("subscription")
    if action == "frequency":
        subscription.frequency = change["frequency"]
        subscription.save(update_fields=["frequency"])
        return _("“%(label)s”: you will now get %(frequency)s.") % {
            "label": subscription.selection.label,
            "frequency": _("a weekly digest")
            if change["frequency"] == "weekly"
            else _("a mail for each new piece"),
        }
    if action == "remove":
        subscription.delete()
        return _("You will no longer get “%(label)s”.") % {"label": subscription.selection.label}
    if action == "remove-all":
        subscriber.subscriptions.all().delete()
        return _("You will no longer get any mail from us. Your address is still kept; delete it below.")
    subscriber.delete()
    return None
