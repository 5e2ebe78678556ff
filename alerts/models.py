"""Who follows what by email, and every mail sent to them.

- A :class:`Subscriber` is one address, with the secret of its preference page. Deleting it
  deletes everything kept about it (its subscriptions, and the mail still waiting for them).
- A :class:`Selection` is what can be followed: a listing's filters in their canonical form
  (``topic=syria&type=policy-analysis``; empty for everything), shared by all who follow it.
- A :class:`Subscription` is one address following one selection, instantly or weekly; nothing
  but the confirmation is sent until ``confirmed_at`` is set.
- A :class:`Dispatch` is the one fan-out of one piece (a piece is mailed once, ever), and a
  :class:`Mailing` one mail to one subscription: an alert of one piece, or a weekly digest of
  several. A mailing is recorded before it is attempted and never sent again once marked sent.
  When its subscription ends, a mail still waiting goes with it; one sent (or failed) stays in
  its piece's record of sends, linked to no address (``keep_sent_mail``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_secret():
    return secrets.token_urlsafe(32)


def keep_sent_mail(collector, field, sub_objs, using):
    """What becomes of a mailing when its subscription is deleted (unsubscribed, or the address
    deleted): mail still to send is deleted with it; mail that went out or failed stays, with no
    subscription, so a piece's count of sends does not shrink as readers leave."""
    unsent = sub_objs.filter(status__in=[Mailing.Status.PENDING, Mailing.Status.SENDING])
    models.CASCADE(collector, field, unsent, using)
    done = sub_objs.filter(status__in=[Mailing.Status.SENT, Mailing.Status.FAILED])
    models.SET_NULL(collector, field, done, using)


class Subscriber(models.Model):
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("first subscribed"), auto_now_add=True)
    # A hard bounce or a complaint (from the provider's webhook): nothing more is sent.
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    failure = models.CharField(_("why it failed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return self.email


class Selection(models.Model):
    query = models.CharField(_("filters"), max_length=1000, unique=True, blank=True)
    label = models.CharField(_("what it follows"), max_length=300)
    page = models.CharField(_("page"), max_length=1200, help_text=_("Where it can be read on the site."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        ordering = ("label", "pk")

    def __str__(self):
        return self.label


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        INSTANT = "instant", _("Each new piece")
        WEEKLY = "weekly", _("Weekly digest")

    subscriber = models.ForeignKey(Subscriber, models.CASCADE, related_name="subscriptions")
    selection = models.ForeignKey(Selection, models.PROTECT, related_name="subscriptions")
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.INSTANT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The one confirmation link that works: spent (emptied) when followed, new for each request.
    confirm_nonce = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "selection"], name="one_subscription_per_selection")
        ]
        indexes = [models.Index(fields=["selection", "confirmed_at"], name="subscription_selection")]

    def __str__(self):
        return f"{self.subscriber} → {self.selection}"


class Dispatch(models.Model):
    """The fan-out of one piece to the subscriptions it matches, made once."""

    # None once the piece was deleted: the record of its sending stays (and deleting a piece in
    # the admin never asks for a permission on this record, which nobody has).
    publication = models.OneToOneField(
        "publications.Publication",
        models.SET_NULL,
        null=True,
        related_name="dispatch",
        verbose_name=_("piece"),
    )
    # The piece's id, kept when it is deleted: recovered and published again, it is not news.
    publication_pk = models.PositiveBigIntegerField(null=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    planned_at = models.DateTimeField(_("every mailing recorded"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("sending of a piece")
        verbose_name_plural = _("sendings of pieces")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return str(self.publication) if self.publication_id else str(_("a deleted piece"))


class Mailing(models.Model):
    class Kind(models.TextChoices):
        ALERT = "alert", _("Alert")
        DIGEST = "digest", _("Weekly digest")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # None once the subscription ended: a record of a mail sent (or failed), to no one now known.
    subscription = models.ForeignKey(
        Subscription, keep_sent_mail, null=True, blank=True, related_name="mailings"
    )
    dispatch = models.ForeignKey(Dispatch, models.CASCADE, null=True, blank=True, related_name="mailings")
    # A digest's pieces; an alert's one piece is its dispatch's.
    pieces = models.ManyToManyField("publications.Publication", blank=True, related_name="+")
    due_at = models.DateTimeField(_("due"), db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "subscription"],
                condition=Q(kind="alert"),
                name="one_alert_per_piece_and_subscription",
            ),
            models.UniqueConstraint(
                fields=["subscription", "due_at"],
                condition=Q(kind="digest"),
                name="one_digest_per_week_and_subscription",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="mailing_status_due")]

    def __str__(self):
        if self.subscription_id is None:
            return f"{self.get_kind_display()} to a former subscriber"
        return f"{self.get_kind_display()} to {self.subscription.subscriber}"


class StaffNotices(models.Model):
    """Which workflow emails a staff member gets; every one is on until they turn it off."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notices")
    on_submitted = models.BooleanField(
        _("A contributor submits a piece for review"), default=True, help_text=_("Editors only.")
    )
    on_published = models.BooleanField(_("A piece of mine is published"), default=True)
    on_sent_back = models.BooleanField(_("A piece of mine is sent back to me"), default=True)

    class Meta:
        verbose_name = _("email notices")
        verbose_name_plural = _("email notices")

    def __str__(self):
        return str(self.user)
