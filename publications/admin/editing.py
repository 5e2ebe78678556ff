"""What the change form asks for and shows while a piece is edited: the bio line an author would
get, the private copy autosaved as one types, the fields another editor changed meanwhile.
"""

import json
import re

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from people.models import Person

from .. import rules
from ..history import key_diff
from ..history import value_html as key_value
from ..models import Autosave

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def conflict_rows(form):
    """Return, for each field both editors changed, the two values and the diff to choose from."""
    return [
        {
            "conflict": conflict,
            "theirs": key_value(conflict.key, conflict.theirs, form.conflict_names),
            "yours": key_value(conflict.key, conflict.yours, form.conflict_names),
            "diff": key_diff(conflict.key, conflict.theirs, conflict.yours, form.conflict_names),
            "choice": form.data.get(f"resolve-{conflict.key}", ""),
        }
        for conflict in form.conflicts
    ]


class EditingViews:
    """The PublicationAdmin's views for the change form's scripts: bio lines and autosave."""

    def bio_line_view(self, request):
        """Return the bio line a person would get on a date (for the authors inline)."""
        if not request.user.has_perm("people.view_person"):
            raise PermissionDenied
        person_id, date_text = request.GET.get("person", ""), request.GET.get("date", "")
        person = None
        if person_id.isdigit() and len(person_id) < 19:
            person = Person.objects.with_appointments().filter(pk=person_id).first()
        if person is None:
            return JsonResponse({"error": "Unknown person."}, status=404)
        try:
            day = parse_date(date_text) if DATE.fullmatch(date_text) else None
        except ValueError:  # a well-formed but impossible date, such as 2024-02-30
            day = None
        return JsonResponse({"bio_line": person.bio_line_on(day)})

    # Autosave: a private copy of the open form, never the piece itself.

    def autosave_context(self, request, obj):
        """Return where the form autosaves to and, on opening it, the copy kept last time."""
        name = "publications_publication_autosave" if obj else "publications_publication_autosave_new"
        context = {"autosave_url": reverse(f"admin:{name}", args=[obj.pk] if obj else [])}
        if request.method == "GET":  # after a refused save, the form holds the editor's text
            copy = Autosave.objects.filter(user=request.user, publication=obj).first()
            context["autosave"] = copy
            context["autosave_is_older"] = bool(obj and copy and copy.saved_at < obj.updated_at)
        return context

    def autosave_view(self, request, object_id=None):
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not rules.can_edit(request.user, obj):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return JsonResponse({"error": "Use POST."}, status=405)
        if request.POST.get("discard"):
            Autosave.objects.filter(user=request.user, publication=obj).delete()
            return JsonResponse({"discarded": True})
        try:
            fields = json.loads(request.POST.get("fields", ""))
        except ValueError:
            return JsonResponse({"error": "The autosaved fields are not valid JSON."}, status=400)
        if not isinstance(fields, dict):
            return JsonResponse({"error": "The autosaved fields must be an object."}, status=400)
        copy, _created = Autosave.objects.update_or_create(
            user=request.user, publication=obj, defaults={"fields": fields}
        )
        return JsonResponse({"saved_at": timezone.localtime(copy.saved_at).strftime("%H:%M:%S")})
