"""A piece's version history in the admin: the history page, restoring a version, recovering a
deleted piece. Only for pieces the user may see and edit.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from .. import rules, services
from ..history import Names, state_changes
from ..models import Publication
from ..services.state import label
from .workflow import where_it_stands


def restored_message(publication, version, changed):
    labels = ", ".join(str(label(key)) for key in changed) or gettext("nothing")
    return gettext(
        "Restored the version of %(date)s: %(changed)s brought back. Status unchanged: %(status)s."
    ) % {
        "date": formats.date_format(timezone.localtime(version.revision.date_created), "j F Y, H:i:s"),
        "changed": labels,
        "status": where_it_stands(publication),
    }


class HistoryViews:
    """The PublicationAdmin's history, restore and recover pages."""

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_rows(self, request, object_id):
        """A piece's history: each version against the one before, byline and terms by name."""
        versions = list(services.history.versions_of(self.get_object(request, unquote(object_id))))
        states = services.history.version_states(versions)  # newest first
        names = Names(states)
        return [
            {
                "revision": version.revision,
                "url": reverse("admin:publications_publication_revision", args=(object_id, version.pk)),
                "changes": state_changes(older, state, names),
            }
            for version, state, older in zip(versions, states, [*states[1:], None], strict=True)
        ]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Show what restoring a version would change; restore it on confirmation."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        version = services.history.versions_of(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404(_("This piece has no such version."))
        may_restore = rules.can_edit(request.user, obj)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            changed = services.publication_restore(publication=obj, version=version, user=request.user)
            self.message_user(request, restored_message(obj, version, changed), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:publications_publication_change", args=[obj.pk]))
        old = services.version_state(version)
        now = services.publication_state(obj)
        restorable = {
            k: old[k] for k in (*services.history.RESTORED_FIELDS, "authors", "topics", "regions", "tags")
        }
        changes = state_changes(now, {**now, **restorable}, Names([now, old]))
        return self._version_page(request, obj, version, changes, may_restore, recover=False)

    def recoverlist_view(self, request, extra_context=None):
        if not rules.can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not rules.can_publish(request.user):
            raise PermissionDenied
        version = Version.objects.get_deleted(Publication).filter(pk=version_id).first()
        if version is None:
            raise Http404(_("There is no deleted piece with this version."))
        if request.method == "POST":
            try:
                publication = services.publication_recover(version=version, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:publications_publication_recoverlist"))
            self.message_user(
                request, _("“%(title)s” is back, as a draft.") % {"title": publication}, messages.SUCCESS
            )
            return HttpResponseRedirect(
                reverse("admin:publications_publication_change", args=[publication.pk])
            )
        state = services.version_state(version)
        changes = state_changes({}, state, Names([state]))
        return self._version_page(request, None, version, changes, True, recover=True)

    def _version_page(self, request, obj, version, changes, may_restore, *, recover):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "version": version,
            "changes": changes,
            "may_restore": may_restore,
            "recover": recover,
            "status": where_it_stands(obj) if obj else None,
            "title": _("Recover a deleted piece") if recover else _("Restore an earlier version"),
        }
        return TemplateResponse(request, "admin/publications/publication/restore.html", context)
