"""Moving a piece through the workflow from the admin: the buttons on its form, the bulk actions
on the list, and the sentence that says where a piece stands. The services do the moving.
"""

import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import rules, services
from ..models import Publication

TRANSITION_LABELS = {
    "submit": _("Submit for review"),
    "publish": _("Publish now"),
    "schedule": _("Schedule"),
    "send_back": _("Send back to the author"),
    "unpublish": _("Unpublish"),
    "archive": _("Archive"),
}


def _moment(value):
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def where_it_stands(publication):
    """Return, in a sentence, where a piece stands in the workflow."""
    Status = Publication.Status
    zone = timezone.get_current_timezone_name()
    if publication.is_scheduled:
        return gettext("Scheduled for %(time)s (%(zone)s time)") % {
            "time": _moment(publication.publish_at),
            "zone": zone,
        }
    if publication.is_public:
        return gettext("Published %(time)s (%(zone)s time)") % {
            "time": _moment(publication.publish_at),
            "zone": zone,
        }
    return {
        Status.DRAFT: gettext("Draft: not on the site"),
        Status.IN_REVIEW: gettext("In review: waiting for an editor"),
        Status.ARCHIVED: gettext("Archived: off the site, kept"),
    }.get(publication.status, publication.get_status_display())


class WorkflowActions:
    """The PublicationAdmin's workflow buttons and bulk actions."""

    def has_publish_permission(self, request):
        return rules.can_publish(request.user)

    def transition_buttons(self, request, obj):
        """Return (step, label) for each workflow button the user may press on this piece."""
        return [(step, TRANSITION_LABELS[step]) for step in rules.transitions(request.user, obj)]

    def apply_transition(self, request, form, publication):
        """Take the step of the button pressed, if any, once the form's content is saved."""
        step = request.POST.get("_transition")
        if step:
            extra = {
                "schedule": {"publish_at": form.cleaned_data.get("schedule_at")},
                "send_back": {"note": form.cleaned_data.get("send_back_note", "")},
            }.get(step, {})
            publication = services.TRANSITIONS[step](publication=publication, user=request.user, **extra)
            request.workflow_comment = reversion.get_comment()  # the service's words for the history
            done = where_it_stands(publication)
            if step == "send_back":
                done = gettext("Sent back to the author: it is a draft again.")
            self.message_user(request, done, messages.SUCCESS)

    def log_change(self, request, obj, message):
        """Keep the step's words (a send-back's note among them) in the version's comment: the
        admin would otherwise replace them with its own list of changed fields."""
        entry = super().log_change(request, obj, message)
        step = getattr(request, "workflow_comment", "")
        if step and reversion.is_active():
            edits = entry.get_change_message()
            reversion.set_comment(step if edits == gettext("No fields changed.") else f"{edits} {step}")
        return entry

    def response_change(self, request, obj):
        if request.POST.get("_transition"):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # Bulk actions, each permission-checked by the services as well as by the admin.

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for publication in queryset:
            try:
                service(publication=publication, user=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{publication}: {message}", messages.WARNING)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Submit selected drafts for review"), permissions=("change",))
    def submit_for_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publication_submit,
            lambda n: ngettext("%d piece submitted for review.", "%d pieces submitted for review.", n) % n,
        )

    @admin.action(
        description=_("Publish selected pieces (or schedule them at their publish time)"),
        permissions=("publish",),
    )
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publication_publish,
            lambda n: (
                ngettext("%d piece published or scheduled.", "%d pieces published or scheduled.", n) % n
            ),
        )

    @admin.action(description=_("Unpublish selected pieces (back to draft)"), permissions=("publish",))
    def unpublish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publication_unpublish,
            lambda n: ngettext("%d piece unpublished.", "%d pieces unpublished.", n) % n,
        )

    @admin.action(description=_("Archive selected pieces"), permissions=("publish",))
    def archive(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publication_archive,
            lambda n: ngettext("%d piece archived.", "%d pieces archived.", n) % n,
        )
