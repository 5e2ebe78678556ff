"""The alerts' and digests' mails, each distinct one rendered once per chunk.

An alert of one piece to the 500 followers of one selection is the same mail 500 times but for
its address and two links (unsubscribe, manage), so it is composed once with stand-in links
(templates, CSS inlining) and each subscriber's copy only swaps in its own. Over SMTP even its
MIME is made once: building it with the email package took longer than anything else per mail
(about 2 ms, measured by bench/alerts.py), so a copy's bytes are the draft's headers and its two
parts quoted-printable, with the address, links, date and Message-ID its own. The pieces are read
through the public gate, again every RECHECK_SECONDS while a chunk is sent: a piece that went
private since its mailings were recorded, or while they are being sent, is in no further mail.
"""

import binascii
import email.policy
import secrets
import time
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail.utils import DNS_NAME

from publications.models import Publication

from . import links
from .mail import Mail, compose
from .models import Mailing

# Stand-ins for the per-subscriber links: plain URL characters, which neither HTML escaping nor
# the CSS inliner changes, and a reserved domain (RFC 2606) should one ever leak.
UNSUBSCRIBE = "https://unsubscribe.invalid/link"
MANAGE = "https://manage.invalid/link"
RECHECK_SECONDS = 1.0
TEMPLATES = {Mailing.Kind.ALERT: "alerts/email/alert", Mailing.Kind.DIGEST: "alerts/email/digest"}


class Letters:
    """The mails of one chunk: ``message(mailing, piece_ids)`` returns one ready to send, or None
    when none of its pieces is public any more."""

    def __init__(self):
        self.pieces = {}  # id -> the piece's context, or None when it is not public
        self.read_at = time.monotonic()
        self.drafts = {}  # (kind, piece ids, selection id) -> the mail with stand-in links

    def message(self, mailing, piece_ids):
        pieces = self.public(piece_ids)
        if not pieces:
            return None
        subscription = mailing.subscription
        key = (mailing.kind, tuple(piece["id"] for piece in pieces), subscription.selection_id)
        draft = self.drafts.get(key)
        if draft is None:
            draft = self.drafts[key] = Draft(self.draft(mailing.kind, pieces, subscription.selection))
        return draft.copy(
            to=subscription.subscriber.email,
            unsubscribe=links.unsubscribe_url(subscription),
            manage=links.manage_url(subscription.subscriber),
        )

    def public(self, piece_ids):
        """Return the public pieces among ``piece_ids``, newest first."""
        if time.monotonic() - self.read_at > RECHECK_SECONDS:  # withdrawn since?
            self.pieces, self.read_at = {}, time.monotonic()
        missing = [pk for pk in piece_ids if pk not in self.pieces]
        if missing:
            self.pieces.update(dict.fromkeys(missing))
            for piece in Publication.objects.published().with_cards().filter(pk__in=missing):
                self.pieces[piece.pk] = describe(piece)
        found = [self.pieces[pk] for pk in piece_ids if self.pieces[pk] is not None]
        return sorted(found, key=lambda piece: (piece["publish_at"], piece["id"]), reverse=True)

    def draft(self, kind, pieces, selection):
        context = {
            "piece": pieces[0],
            "pieces": pieces,
            "label": selection.label,
            "selection_url": links.site_url(selection.page),
            "site_url": links.site_url(""),
            "manage_url": MANAGE,
        }
        return compose(TEMPLATES[kind], context, to="subscriber@example.invalid", unsubscribe=UNSUBSCRIBE)


def describe(piece):
    """Return what a mail shows of a piece, every link absolute."""
    return {
        "id": piece.pk,
        "publish_at": piece.publish_at,
        "type": piece.type.name if piece.type_id else "",
        "title": piece.title,
        "url": links.site_url(piece.get_absolute_url()),
        "date": piece.publish_date,
        "summary": piece.summary,
        "authors": [
            {"name": authorship.person.name, "url": links.site_url(authorship.person.get_absolute_url())}
            for authorship in piece.ordered_authorships
        ],
    }


class Copy(Mail):
    """One subscriber's copy of a draft: a mail like any other to every backend, whose MIME for
    SMTP (the backend asks with email.policy.SMTP) is the draft's bytes made its own."""

    raw = None

    def message(self, *, policy=email.policy.default):
        if self.raw is None or policy is not email.policy.SMTP:
            return super().message(policy=policy)
        return Raw(self.raw)


class Raw:
    def __init__(self, data):
        self.data = data

    def as_bytes(self, *args, **kwargs):
        return self.data


class Draft:
    """A composed mail with stand-in links, and the MIME headers its copies share."""

    PER_COPY = {"to", "date", "message-id", "list-unsubscribe", "content-type", "mime-version"}

    def __init__(self, mail):
        self.mail = mail
        self.boundary = f"=_{secrets.token_hex(16)}"
        header = mail.message(policy=email.policy.SMTP)
        shared = [(name, value) for name, value in header.items() if name.lower() not in self.PER_COPY]
        self.headers = b"".join(email.policy.SMTP.fold_binary(name, value) for name, value in shared)

    def copy(self, *, to, unsubscribe, manage):
        """Return the mail to ``to`` with its own unsubscribe and manage links."""

        def fill(text):
            return text.replace(UNSUBSCRIBE, unsubscribe).replace(MANAGE, manage)

        draft = self.mail
        message = Copy(
            subject=draft.subject,
            body=fill(draft.body),
            from_email=draft.from_email,
            to=[to],
            headers={name: fill(value) for name, value in draft.extra_headers.items()},
            reply_to=draft.reply_to,
        )
        for alternative in draft.alternatives:
            message.attach_alternative(fill(alternative.content), alternative.mimetype)
        if to.isascii() and "\n" not in to and "\r" not in to:  # else the email package encodes it
            message.raw = self.mime(message)
        return message

    def mime(self, message):
        parts = [("text/plain", message.body)] + [
            (part.mimetype, part.content) for part in message.alternatives
        ]
        boundary = self.boundary.encode()
        lines = [
            self.headers,
            f"To: {message.to[0]}\r\n".encode(),
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}\r\n".encode(),
            f"Message-ID: {make_msgid(domain=DNS_NAME)}\r\n".encode(),
            # On one line, as RFC 2369 writes it: the email package would fold a long link into
            # RFC 2047 encoded-words, which mail programs do not read in this header.
            *(
                f"{name}: {value}\r\n".encode()
                for name, value in message.extra_headers.items()
                if name.lower() == "list-unsubscribe" and value.isascii()
            ),
            b'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="' + boundary + b'"\r\n\r\n',
        ]
        for mimetype, content in parts:
            body = content.replace("\r\n", "\n").replace("\n", "\r\n").encode()
            lines += [
                b"--" + boundary + b"\r\n",
                f'Content-Type: {mimetype}; charset="utf-8"\r\n'.encode(),
                b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
                binascii.b2a_qp(body, istext=True),
                b"\r\n",
            ]
        lines.append(b"--" + boundary + b"--\r\n")
        return b"".join(lines)
