"""Staff mail about the workflow: editors hear of a piece submitted for review, its author of a
piece sent back to them or gone public.

Each is a task (the listeners enqueue it after the step commits), so an editor's click never
waits for mail and a mail server that is down never undoes a step. A mail that fails is tried
again later, with backoff, up to ALERTS_MAX_ATTEMPTS times, then given up with a log line (which
names the staff member's id, never an address). Nobody is mailed about their own action, and
each staff member turns these off on their own page (``StaffNotices``; no row means all on).
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from publications.models import Publication

from . import links, mail

log = logging.getLogger(__name__)

# Each notice: the StaffNotices switch that turns it off, and its mail's templates.
NOTICES = {
    "submitted": ("on_submitted", "alerts/email/notice_submitted"),
    "sent_back": ("on_sent_back", "alerts/email/notice_sent_back"),
    "published": ("on_published", "alerts/email/notice_published"),
}
FIRST_RETRY = datetime.timedelta(minutes=1)  # then 4, 16, 64 minutes...


def editors():
    """Return the active staff who may publish (superusers included) and have an address."""
    may_publish = Permission.objects.filter(
        content_type__app_label="publications", codename="publish_publication"
    )
    granted = Q(user_permissions__in=may_publish) | Q(groups__permissions__in=may_publish)
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | granted,
            is_active=True,
            is_staff=True,
        )
        .exclude(email="")
        .distinct()
    )


def wanting(users, kind, actor_id):
    """Return ``users`` less those who turned ``kind`` off and the one who took the step."""
    switch, _template = NOTICES[kind]
    return users.exclude(**{f"notices__{switch}": False}).exclude(pk=actor_id).order_by("pk")


def authors_of(publication):
    """Return who a piece's news goes to: the staff member who started it (the byline's people
    are pages, not accounts), if still active with an address."""
    return (
        get_user_model()
        .objects.filter(pk=publication.created_by_id, is_active=True, is_staff=True)
        .exclude(email="")
    )


@task
def notify_submitted(publication_id, user_id):
    """Tell every editor that a piece waits for review (unless it no longer does)."""
    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is None or publication.status != Publication.Status.IN_REVIEW:
        return
    for editor in wanting(editors(), "submitted", user_id):
        deliver("submitted", editor, publication, actor_id=user_id)


@task
def notify_sent_back(publication_id, user_id, note=""):
    """Tell a piece's author that an editor sent it back, with the editor's note."""
    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is None:
        return
    for author in wanting(authors_of(publication), "sent_back", user_id):
        deliver("sent_back", author, publication, actor_id=user_id, note=note)


@task
def notify_published(publication_id, user_id=None, publish_at=None):
    """Tell a piece's author that it is public. A scheduled piece's notice runs at its time
    (``publish_at``, as scheduled): it is sent only if the piece is public now and was not
    rescheduled or published otherwise meanwhile (that step has its own notice)."""
    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is None or not publication.is_public:
        return
    if publish_at and publication.publish_at != datetime.datetime.fromisoformat(publish_at):
        return
    for author in wanting(authors_of(publication), "published", user_id):
        deliver("published", author, publication, actor_id=user_id)


@task
def deliver_notice(kind, recipient_id, publication_id, actor_id=None, note="", attempt=1):
    """Try a notice that failed again, if its reader still wants it and the piece still exists."""
    recipient = wanting(get_user_model().objects.filter(pk=recipient_id), kind, actor_id).first()
    publication = Publication.objects.filter(pk=publication_id).first()
    if recipient is not None and recipient.email and publication is not None:
        deliver(kind, recipient, publication, actor_id=actor_id, note=note, attempt=attempt)


def deliver(kind, recipient, publication, *, actor_id=None, note="", attempt=1):
    """Send one notice; if it fails, try again later (never raise: the step is done)."""
    try:
        message(kind, recipient, publication, actor_id=actor_id, note=note).send()
    except Exception as error:  # a mail server refusing, timing out, a provider's API error
        if attempt >= settings.ALERTS_MAX_ATTEMPTS or not deliver_notice.get_backend().supports_defer:
            log.warning(
                "Gave up a %s notice to user %s after %s attempts: %s",
                kind,
                recipient.pk,
                attempt,
                type(error).__name__,
            )
            return
        deliver_notice.using(run_after=timezone.now() + FIRST_RETRY * 4 ** (attempt - 1)).enqueue(
            kind, recipient.pk, publication.pk, actor_id, note, attempt + 1
        )


def name_of(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def message(kind, recipient, publication, *, actor_id=None, note=""):
    """Return the notice's mail to ``recipient`` (a staff member)."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    context = {
        "site_url": links.site_url(""),
        "recipient_name": name_of(recipient),
        "actor_name": name_of(actor),
        "piece": publication,
        "note": note,
        "admin_url": links.site_url(reverse("admin:publications_publication_change", args=[publication.pk])),
        "piece_url": links.site_url(publication.get_absolute_url()),
        "notices_url": links.site_url(reverse("admin:alerts_staffnotices_changelist")),
    }
    _switch, template = NOTICES[kind]
    return mail.compose(template, context, to=recipient.email)
