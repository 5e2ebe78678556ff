"""Handing mailings to the mail server, one at a time, so each is sent at most once.

Each mailing is claimed before it is sent (an UPDATE from "pending" to "sending" that only one
worker can win), sent, then marked "sent", in the same commit as the next one's claim (one commit
per mail); a mailing marked sent is never sent again. A worker
killed between the send and the mark leaves that one mailing "sending": after
ALERTS_STALE_SECONDS it goes back in line (sending.resume) and is sent again. That is the only
duplicate possible, at most one per killed worker.

All mails of a chunk go through one SMTP connection. When the server turns a mail away
(a 4xx/5xx answer) that mailing is tried again later with backoff and the chunk goes on; when
the connection fails (refused, timed out, dropped) the chunk stops and waits. After
ALERTS_MAX_ATTEMPTS a mailing is marked failed; an address the server refuses outright fails
at once. A provider's API (django-anymail) is treated alike: an address it rejects fails that
mailing, any other error of its (or anything unforeseen) is tried again. No error escapes the
task, so none is logged with an address in it; errors are kept without the address, and the log
names mailings by id only.
"""

import contextlib
import datetime
import logging
import smtplib

from anymail.exceptions import AnymailError, AnymailInvalidAddress, AnymailRecipientsRefused
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.text import without_addresses

from .letters import Letters
from .models import Mailing

log = logging.getLogger(__name__)
PENDING, SENDING, SENT, FAILED = (
    Mailing.Status.PENDING,
    Mailing.Status.SENDING,
    Mailing.Status.SENT,
    Mailing.Status.FAILED,
)
# The connection is gone (SMTPException is an OSError too: the server's answers come first).
BROKEN = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)
NOTHING_LEFT = "Nothing left to send: every piece in it has left the public site."
FAIL, RETRY, STOP = "fail", "retry", "stop"


def outcome(error):
    """Return what a failed send means: FAIL (this address will not take this mail), STOP (no
    mail goes through now: the chunk waits) or RETRY (this mail may go later)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused | AnymailRecipientsRefused | AnymailInvalidAddress):
        return FAIL
    if isinstance(error, AnymailError):
        # An answer about this mail (a 4xx but 429) is tried again; a provider that is down,
        # throttling, or refusing the site's own settings (a bad key) makes every mail wait.
        status = getattr(error, "status_code", None)
        return RETRY if status and 400 <= status < 500 and status != 429 else STOP
    if isinstance(error, ImproperlyConfigured):
        return STOP
    if isinstance(error, ValueError):
        return FAIL  # an address Django cannot put in an envelope
    if isinstance(error, BROKEN):
        return STOP
    if isinstance(error, smtplib.SMTPException):  # the server's answer to this mail
        return RETRY
    if isinstance(error, OSError):  # refused, timed out, reset
        return STOP
    return RETRY  # a provider's API failing, or anything unforeseen: tried again, then failed


def backoff(attempts):
    """Return how long to wait after the ``attempts``-th failed attempt: doubling, capped."""
    seconds = settings.ALERTS_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.ALERTS_RETRY_MAX_SECONDS))


def describe(error):
    """Return what went wrong in a line an operator understands, without any address in it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{code} {_text(text)}" for code, text in error.recipients.values())
        text = f"The mail server refused the address: {answers}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"The mail server answered {error.smtp_code} {_text(error.smtp_error)}"
    elif isinstance(error, TimeoutError) or "timed out" in _text(error):
        text = "The mail server did not answer in time."
    elif isinstance(error, smtplib.SMTPServerDisconnected):
        text = "The mail server closed the connection."
    elif isinstance(error, AnymailRecipientsRefused | AnymailInvalidAddress):
        text = "The mail provider refused the address."
    elif isinstance(error, ValueError):
        text = "The address cannot be mailed."
    elif isinstance(error, AnymailError):
        text = f"The mail provider answered: {_text(error)}"
    else:
        text = f"{type(error).__name__}: {_text(error)}"
    return without_addresses(text)[:300]


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    try:
        return str(value)
    except Exception:  # an error whose own description fails (seen with anymail's): its type will do
        return type(value).__name__


class Delivery:
    """One chunk's sending: ``run(mailings)`` sends each pending, due one over one connection.

    After it, ``retry_at`` is the earliest time a mailing it put back in line is due again
    (None when it put none back), and ``counts`` says what became of the mailings.
    """

    def __init__(self):
        self.letters = Letters()
        self.connection = None
        self.unmarked = self.unmarked_at = None  # the mailing just sent, marked with the next claim
        self.retry_at = None
        self.counts = {"sent": 0, "retry": 0, "failed": 0}

    def run(self, mailings, pieces_of):
        """Send ``mailings`` (with subscription, subscriber and selection read); ``pieces_of(m)``
        returns the ids of a mailing's pieces."""
        try:
            for mailing in mailings:
                if not self.claim(mailing):
                    continue
                if not self.deliver(mailing, pieces_of(mailing)):
                    self.wait_for_server(mailings)
                    break
        finally:
            self.mark_sent()
            self.close()

    def claim(self, mailing):
        """Take ``mailing`` for this worker (in the same commit as marking the last one sent)."""
        now = timezone.now()
        with transaction.atomic():
            self.mark_sent()
            claimed = Mailing.objects.filter(pk=mailing.pk, status=PENDING, due_at__lte=now).update(
                status=SENDING, attempted_at=now, attempts=F("attempts") + 1
            )
        mailing.attempts += 1
        return claimed == 1

    def mark_sent(self):
        if self.unmarked is not None:
            Mailing.objects.filter(pk=self.unmarked).exclude(status=SENT).update(
                status=SENT, sent_at=self.unmarked_at, error=""
            )
            self.unmarked = None

    def deliver(self, mailing, piece_ids):
        """Send one claimed mailing; return False when the connection failed (stop the chunk)."""
        if mailing.subscription.subscriber.failed_at:
            self.fail(mailing, "The address stopped accepting mail before this was sent.")
            return True
        message = self.letters.message(mailing, piece_ids)
        if message is None and mailing.kind == Mailing.Kind.ALERT:
            # Its piece left the public site while the chunk was sent: the alerts wait for it
            # to come back (sending.py), and the chunk stops.
            Mailing.objects.filter(pk=mailing.pk, status=SENDING).update(
                status=PENDING, attempts=F("attempts") - 1
            )
            return False
        if message is None:
            self.fail(mailing, NOTHING_LEFT)
            return True
        try:
            if self.connection is None:
                self.connection = mail.mailers.default
                self.connection.open()
            self.connection.send_messages([message])
        except Exception as error:  # every failure is sorted out by outcome(); none escapes
            return self.not_sent(mailing, error)
        self.unmarked, self.unmarked_at = mailing.pk, timezone.now()
        self.counts["sent"] += 1
        return True

    def not_sent(self, mailing, error):
        """Record why ``mailing`` was not sent; return False when the chunk must stop."""
        what = outcome(error)
        if what == FAIL:
            self.fail(mailing, describe(error))
        elif what == STOP:
            return self.broken(mailing, error)
        else:
            self.retry(mailing, error)
        return True

    def broken(self, mailing, error):
        self.retry(mailing, error)
        self.close()
        return False

    def retry(self, mailing, error):
        if mailing.attempts >= settings.ALERTS_MAX_ATTEMPTS:
            self.fail(mailing, describe(error))
            return
        due = timezone.now() + backoff(mailing.attempts)
        Mailing.objects.filter(pk=mailing.pk, status=SENDING).update(
            status=PENDING, due_at=due, error=describe(error)
        )
        self.retry_at = min(self.retry_at or due, due)
        self.counts["retry"] += 1
        log.warning("Mailing %s not sent (attempt %s), tried again at %s", mailing.pk, mailing.attempts, due)

    def fail(self, mailing, reason):
        Mailing.objects.filter(pk=mailing.pk, status=SENDING).update(status=FAILED, error=reason[:300])
        self.counts["failed"] += 1
        log.warning("Mailing %s failed after %s attempts: %s", mailing.pk, mailing.attempts, reason)

    def wait_for_server(self, mailings):
        """The server is unreachable: the chunk's other pending mailings wait with the one that
        failed (no attempt counted for them), so the chunk is tried again as one."""
        if self.retry_at is None:
            return
        pending = [mailing.pk for mailing in mailings]
        Mailing.objects.filter(pk__in=pending, status=PENDING, due_at__lt=self.retry_at).update(
            due_at=self.retry_at
        )

    def close(self):
        if self.connection is None:
            return
        # A broken connection may fail to say goodbye; nothing is lost by dropping it.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            self.connection.close()
        self.connection = None
