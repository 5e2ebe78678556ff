"""The list of pieces: its filters, its columns, and the byline each row shows."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Publication


class PublicationChangeList(ChangeList):
    """The list shows each piece's byline: read for the page in one query."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).with_cards()


class StatusFilter(admin.SimpleListFilter):
    """Statuses as editors think of them: a published piece still to come is "scheduled"."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("in_review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("live", _("Published (live)")),
            ("archived", _("Archived")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Publication.Status.PUBLISHED)
        match self.value():
            case "scheduled":
                return published.filter(publish_at__gt=now)
            case "live":
                return published.filter(publish_at__lte=now)
            case "draft" | "in_review" | "archived" as value:
                return queryset.filter(status=value)
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("publish_at", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # A year no piece has (?year=0, ?year=10000, ?year=abc) lists nothing, rather than ask
        # the database for a date it cannot hold.
        if self.value() not in {value for value, _label in self.lookup_choices}:
            return queryset.none()
        return queryset.filter(publish_at__year=int(self.value()))


class ListColumns:
    """The PublicationAdmin's list: its rows and the columns it shows besides model fields."""

    def get_changelist(self, request, **kwargs):
        return PublicationChangeList

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, publication):
        css = "scheduled" if publication.is_scheduled else publication.status
        return format_html('<span class="status-badge status-{}">{}</span>', css, publication.display_status)

    @admin.display(description=_("authors"))
    def author_names(self, publication):
        return ", ".join(a.person.name for a in publication.ordered_authorships) or "—"

    @admin.display(description=_("links"))
    def links(self, publication):
        if not publication.pk:
            return "—"
        label = _("View on site") if publication.is_public else _("Preview")
        return format_html('<a href="{}" target="_blank">{}</a>', publication.get_absolute_url(), label)
