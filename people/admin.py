from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import pictures
from core.history import VersionDiffAdmin

from .models import Appointment, Fellowship, Person


class AppointmentInline(admin.TabularInline):
    """Appointments are history: close one by setting its end, never by deleting it."""

    model = Appointment
    extra = 0
    fields = ("fellowship", "person", "start", "end")
    autocomplete_fields = ("fellowship", "person")
    can_delete = False


@admin.register(Person)
class PersonAdmin(VersionDiffAdmin):
    list_display = ("name", "job_title", "is_expert", "current_fellowships", "updated_at")
    list_filter = ("is_expert", "sample_profile", "appointments__fellowship")
    search_fields = ("name", "sort_name", "job_title", "expertise")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (AppointmentInline,)
    fieldsets = (
        (None, {"fields": ("name", "sort_name", "slug", "job_title", "is_expert", "email")}),
        (_("Biography"), {"fields": ("short_bio", "long_bio", "expertise", "photo", "photo_credit")}),
        (_("Advanced"), {"classes": ("collapse",), "fields": ("sample_profile",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_appointments()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "photo" in form.changed_data and obj.photo:
            pictures.prepare(obj.photo.name, shapes=(pictures.PORTRAIT,))  # once per upload

    @admin.display(description=_("current fellowships"))
    def current_fellowships(self, person):
        return ", ".join(a.fellowship.name for a in person.current_appointments) or "—"


@admin.register(Fellowship)
class FellowshipAdmin(VersionDiffAdmin):
    list_display = ("name", "holder_title", "donor")
    search_fields = ("name", "holder_title", "donor")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (AppointmentInline,)


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Who held which fellowship when. Only superusers may delete (to undo a mistake)."""

    list_display = ("person", "fellowship", "start", "end")
    list_filter = ("fellowship",)
    list_select_related = ("person", "fellowship")
    search_fields = ("person__name", "fellowship__name")
    autocomplete_fields = ("person", "fellowship")
    date_hierarchy = "start"

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return ("person", "fellowship") if obj else ()
