"""The signed links of the alerts' mails: confirm a subscription, manage an address, unsubscribe.

None names the address. Each is signed with SECRET_KEY (a forged or altered one is refused) and
carries the subscriber's own random secret, so a link stops working once the address is deleted,
even if the same address subscribes again later. A confirmation link also carries the
subscription's one-use nonce and its selection (so an expired link can still offer to follow
the same thing, after the request itself was forgotten), and expires after
ALERTS_CONFIRM_HOURS; the others do not expire (a mail read a year later must still let its
reader unsubscribe).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM, MANAGE, UNSUBSCRIBE = "alerts.confirm", "alerts.manage", "alerts.unsubscribe"


class BadLink(Exception):
    """A link that was forged, altered, or is for something that is no more."""


class ExpiredLink(BadLink):
    """A confirmation link older than ALERTS_CONFIRM_HOURS."""


def confirm_token(subscription):
    value = [subscription.pk, subscription.confirm_nonce, subscription.selection_id]
    return signing.dumps(value, salt=CONFIRM, compress=True)


def read_confirm_token(token):
    """Return (subscription id, nonce), or raise BadLink / ExpiredLink."""
    try:
        value = signing.loads(token, salt=CONFIRM, max_age=settings.ALERTS_CONFIRM_HOURS * 3600)
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except signing.BadSignature:
        raise BadLink from None
    return _pair(value)


def read_expired_confirm_token(token):
    """Return (subscription id, selection id or None) of a genuine confirmation link, however
    old, or raise BadLink."""
    try:
        value = signing.loads(token, salt=CONFIRM)
    except signing.BadSignature:
        raise BadLink from None
    subscription_id, _nonce = _pair(value)
    selection_id = value[2] if len(value) == 3 and isinstance(value[2], int) else None
    return subscription_id, selection_id


def manage_token(subscriber):
    return signing.dumps([subscriber.pk, subscriber.secret[:16]], salt=MANAGE, compress=True)


def read_manage_token(token):
    """Return (subscriber id, secret prefix), or raise BadLink."""
    return _read(token, MANAGE)


def unsubscribe_token(subscription):
    return signing.dumps(
        [subscription.pk, subscription.subscriber.secret[:16]], salt=UNSUBSCRIBE, compress=True
    )


def read_unsubscribe_token(token):
    """Return (subscription id, secret prefix), or raise BadLink."""
    return _read(token, UNSUBSCRIBE)


def _read(token, salt):
    try:
        return _pair(signing.loads(token, salt=salt))
    except signing.BadSignature:
        raise BadLink from None


def _pair(value):
    if not (isinstance(value, list) and len(value) in (2, 3) and isinstance(value[0], int)):
        raise BadLink
    return value[0], str(value[1])


def site_url(path):
    """Return the absolute address of ``path`` for a mail: there is no request to take a host from,
    so SITE_URL says it (``make run`` sets it to its own address; a deploy must set it)."""
    return (settings.SITE_URL or "http://127.0.0.1:8000").rstrip("/") + path


def confirm_url(subscription):
    return site_url(reverse("alerts:confirm", args=[confirm_token(subscription)]))


def manage_url(subscriber):
    return site_url(reverse("alerts:manage", args=[manage_token(subscriber)]))


def unsubscribe_url(subscription):
    return site_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription)]))
