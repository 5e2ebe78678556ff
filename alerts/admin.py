"""The alerts in the admin: who follows what, how each piece's sending went, and each staff
member's own email notices.

Addresses are personal data: only superusers (administrators) see the subscribers and export
them. Editors see the counts per selection and per sending, never an address; the errors shown
have any address in them blanked. Mailings have no admin of their own.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import without_addresses as text_without_addresses
from publications import rules

from .export import export_csv
from .models import Dispatch, Mailing, Selection, StaffNotices, Subscriber, Subscription


def without_addresses(text):
    """Return ``text`` (a mail server's answer) with every address in it blanked."""
    return text_without_addresses(text, "[address]")


def administrator(request):
    return request.user.is_active and request.user.is_superuser


def editor(request):
    return request.user.is_active and request.user.is_staff and rules.can_publish(request.user)


class ReadOnly:
    """An admin of counts: nothing to add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Subscribers: administrators only.


class SubscriberState(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (
            ("confirmed", _("Confirmed (gets mail)")),
            ("unconfirmed", _("Not confirmed yet")),
            ("failed", _("Failed (bounced or complained)")),
        )

    def queryset(self, request, queryset):
        if self.value() == "confirmed":
            return queryset.filter(confirmed_count__gt=0, failed_at__isnull=True)
        if self.value() == "unconfirmed":
            return queryset.filter(confirmed_count=0, failed_at__isnull=True)
        if self.value() == "failed":
            return queryset.filter(failed_at__isnull=False)
        return queryset


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ("selection", "frequency", "subscribed", "confirmed_at")
    readonly_fields = ("selection", "subscribed", "confirmed_at")
    extra = 0
    can_delete = True
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False  # a subscription starts with its reader's confirmation, never here

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("selection")

    @admin.display(description=_("subscribed"))
    def subscribed(self, subscription):
        return subscription.created_at


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "subscription_count", "confirmed_count", "created_at", "failed_at")
    list_filter = (SubscriberState,)
    search_fields = ("email",)
    fields = ("email", "created_at", "failed_at", "failure")
    readonly_fields = ("email", "created_at")
    inlines = (SubscriptionInline,)
    actions = ("export_selected",)
    date_hierarchy = None

    def has_module_permission(self, request):
        return administrator(request)

    def has_view_permission(self, request, obj=None):
        return administrator(request)

    def has_change_permission(self, request, obj=None):
        return administrator(request)

    def has_delete_permission(self, request, obj=None):
        return administrator(request)

    def has_add_permission(self, request):
        return False  # an address subscribes itself, and confirms

    def has_export_permission(self, request):
        return administrator(request)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                subscription_count=Count("subscriptions"),
                confirmed_count=Count("subscriptions", filter=Q(subscriptions__confirmed_at__isnull=False)),
            )
        )

    @admin.display(description=_("subscriptions"), ordering="subscription_count")
    def subscription_count(self, subscriber):
        return subscriber.subscription_count

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed_count(self, subscriber):
        return subscriber.confirmed_count

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="alerts_subscriber_export"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"export_url": reverse("admin:alerts_subscriber_export")} if administrator(request) else {}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def export_view(self, request):
        """Every subscription of every address, as CSV (administrators only)."""
        if not administrator(request):
            raise PermissionDenied
        return export_csv(Subscriber.objects.all())

    @admin.action(description=_("Export selected subscribers as CSV"), permissions=("export",))
    def export_selected(self, request, queryset):
        return export_csv(queryset)


# Selections and sendings: counts, for editors too.


@admin.register(Selection)
class SelectionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("label", "page_link", "confirmed", "waiting", "failed", "instant", "weekly")
    search_fields = ("label", "query")
    fields = (
        *("label", "page_link", "query", "created_at"),
        *("confirmed", "waiting", "failed", "instant", "weekly"),
    )
    readonly_fields = fields

    def has_module_permission(self, request):
        return editor(request)

    def has_view_permission(self, request, obj=None):
        return editor(request)

    def get_queryset(self, request):
        good = Q(subscriptions__subscriber__failed_at__isnull=True)
        live = good & Q(subscriptions__confirmed_at__isnull=False)
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed=Count("subscriptions", filter=live),
                waiting=Count("subscriptions", filter=good & Q(subscriptions__confirmed_at__isnull=True)),
                failed=Count("subscriptions", filter=Q(subscriptions__subscriber__failed_at__isnull=False)),
                instant=Count("subscriptions", filter=live & Q(subscriptions__frequency="instant")),
                weekly=Count("subscriptions", filter=live & Q(subscriptions__frequency="weekly")),
            )
        )

    @admin.display(description=_("page"), ordering="page")
    def page_link(self, selection):
        return format_html('<a href="{}">{}</a>', selection.page, selection.page)

    @admin.display(description=_("confirmed"), ordering="confirmed")
    def confirmed(self, selection):
        return selection.confirmed

    @admin.display(description=_("waiting for confirmation"), ordering="waiting")
    def waiting(self, selection):
        return selection.waiting

    @admin.display(description=_("failed"), ordering="failed")
    def failed(self, selection):
        return selection.failed

    @admin.display(description=_("each new piece"), ordering="instant")
    def instant(self, selection):
        return selection.instant

    @admin.display(description=_("weekly digest"), ordering="weekly")
    def weekly(self, selection):
        return selection.weekly


@admin.register(Dispatch)
class DispatchAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "publication",
        "created_at",
        "finished_at",
        "sent",
        "waiting",
        "failed",
        "digests",
        "last_error",
    )
    list_select_related = ("publication",)
    search_fields = ("publication__title",)
    fields = (
        "publication",
        "created_at",
        "planned_at",
        "finished_at",
        "sent",
        "waiting",
        "failed",
        "digests",
        "errors",
    )
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_module_permission(self, request):
        return editor(request)

    def has_view_permission(self, request, obj=None):
        return editor(request)

    def get_queryset(self, request):
        Status = Mailing.Status
        errors = Mailing.objects.filter(dispatch=OuterRef("pk")).exclude(error="")
        in_digests = (  # the sent digests that had the piece in them
            Mailing.pieces.through.objects.filter(
                publication=OuterRef("publication"), mailing__status=Status.SENT
            )
            .values("publication")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent=Count("mailings", filter=Q(mailings__status=Status.SENT)),
                waiting=Count("mailings", filter=Q(mailings__status__in=(Status.PENDING, Status.SENDING))),
                failed=Count("mailings", filter=Q(mailings__status=Status.FAILED)),
                digests=Coalesce(
                    Subquery(in_digests.values("publication").annotate(n=Count("pk")).values("n")), 0
                ),
                latest_error=Subquery(
                    errors.order_by(F("attempted_at").desc(nulls_last=True), "-pk").values("error")[:1]
                ),
            )
        )

    @admin.display(description=_("sent"), ordering="sent")
    def sent(self, dispatch):
        return dispatch.sent

    @admin.display(description=_("waiting"), ordering="waiting")
    def waiting(self, dispatch):
        return dispatch.waiting

    @admin.display(description=_("failed"), ordering="failed")
    def failed(self, dispatch):
        return dispatch.failed

    @admin.display(description=_("in weekly digests sent"), ordering="digests")
    def digests(self, dispatch):
        return dispatch.digests

    @admin.display(description=_("last error"))
    def last_error(self, dispatch):
        return without_addresses(dispatch.latest_error) or "—"

    @admin.display(description=_("errors (the latest ten, addresses left out)"))
    def errors(self, dispatch):
        rows = (
            dispatch.mailings.exclude(error="")
            .values("error")
            .annotate(count=Count("pk"))
            .order_by("-count", "error")[:10]
        )
        lines = [f"{row['count']} × {without_addresses(row['error'])}" for row in rows]
        return "\n".join(lines) or "—"


# Each staff member's own notices: /admin/alerts/staffnotices/ is their page.


class NoticesForm(forms.ModelForm):
    class Meta:
        model = StaffNotices
        fields = ("on_submitted", "on_sent_back", "on_published")


@admin.register(StaffNotices)
class StaffNoticesAdmin(admin.ModelAdmin):
    """One page per staff member, their own: which workflow emails they get."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        mine = self.admin_site.admin_view(self.mine_view)
        return [path("", mine, name="alerts_staffnotices_changelist")]

    def mine_view(self, request):
        user = request.user
        notices = StaffNotices.objects.filter(user=user).first() or StaffNotices(user=user)
        form = NoticesForm(request.POST or None, instance=notices)
        if not rules.can_publish(user):
            del form.fields["on_submitted"]  # only editors are told of pieces to review
        if request.method == "POST" and form.is_valid():
            form.save()
            self.message_user(request, gettext("Your email notices are saved."), messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("My email notices"),
            "opts": self.opts,
            "form": form,
            "address": user.email,
        }
        return TemplateResponse(request, "admin/alerts/staffnotices/mine.html", context)
