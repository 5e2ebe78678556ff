"""The alerts' and digests' mails, each distinct one rendered once per chunk.

An alert of one piece to the 500 followers of one selection is the same mail 500 times but for
its address and two links (unsubscribe, manage), so it is composed once with stand-in links
(templates, CSS inlining) and each subscriber's copy only swaps in its own. The pieces are read
once per chunk, through the public gate: a piece that went private since its mailings were
recorded is in no mail.
"""

from django.core.mail import EmailMultiAlternatives

from publications.models import Publication

from . import links
from .mail import compose
from .models import Mailing

# Stand-ins for the per-subscriber links: plain URL characters, which neither HTML escaping nor
# the CSS inliner changes, and a reserved domain (RFC 2606) should one ever leak.
UNSUBSCRIBE = "https://unsubscribe.invalid/link"
MANAGE = "https://manage.invalid/link"
TEMPLATES = {Mailing.Kind.ALERT: "alerts/email/alert", Mailing.Kind.DIGEST: "alerts/email/digest"}


class Letters:
    """The mails of one chunk: ``message(mailing, piece_ids)`` returns one ready to send, or None
    when none of its pieces is public any more."""

    def __init__(self):
        self.pieces = {}  # id -> the piece's context, or None when it is not public
        self.drafts = {}  # (kind, piece ids, selection id) -> the mail with stand-in links

    def message(self, mailing, piece_ids):
        pieces = self.public(piece_ids)
        if not pieces:
            return None
        subscription = mailing.subscription
        key = (mailing.kind, tuple(piece["id"] for piece in pieces), subscription.selection_id)
        draft = self.drafts.get(key)
        if draft is None:
            draft = self.drafts[key] = self.draft(mailing.kind, pieces, subscription.selection)
        return personal(
            draft,
            to=subscription.subscriber.email,
            unsubscribe=links.unsubscribe_url(subscription),
            manage=links.manage_url(subscription.subscriber),
        )

    def public(self, piece_ids):
        """Return the public pieces among ``piece_ids``, newest first."""
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


def personal(draft, *, to, unsubscribe, manage):
    """Return ``draft`` addressed to ``to`` with its own unsubscribe and manage links."""

    def fill(text):
        return text.replace(UNSUBSCRIBE, unsubscribe).replace(MANAGE, manage)

    headers = {name: fill(value) for name, value in draft.extra_headers.items()}
    message = EmailMultiAlternatives(
        subject=draft.subject,
        body=fill(draft.body),
        from_email=draft.from_email,
        to=[to],
        headers=headers,
        reply_to=draft.reply_to,
    )
    for alternative in draft.alternatives:
        message.attach_alternative(fill(alternative.content), alternative.mimetype)
    return message
