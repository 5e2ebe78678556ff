from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and fellowships")

    def ready(self):
        from core import registry

        from .models import Appointment, Fellowship, Person

        registry.pages_show(Person, Fellowship)
        registry.pages_show(Appointment, purges=appointment_keys)
        registry.files_seen_by(portrait_audience, folder="people/")


def appointment_keys(row, change):
    """A fellowship held or left: the person's pages and the fellowship's change."""
    return {f"person-{row.person_id}", "person", f"fellowship-{row.fellowship_id}", "fellowship"}


def portrait_audience(name, user):
    """A person's portrait is public; any other file is not people's."""
    from core.registry import PUBLIC

    from .models import Person

    return PUBLIC if Person.objects.filter(photo=name).exists() else None
