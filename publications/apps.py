from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Policy Analysis")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from people.models import Appointment, Fellowship, Person

        from . import cache, models

        # Whatever a public page can show: a change to any of it ends every cached page.
        shown = (
            models.Publication,
            models.Authorship,
            models.PublicationType,
            models.Topic,
            models.Region,
            models.Tag,
            models.TaggedTopic,
            models.TaggedRegion,
            models.TaggedTag,
            models.SlugRedirect,
            Person,
            Fellowship,
            Appointment,
        )
        for model in shown:
            post_save.connect(cache.invalidate, sender=model, dispatch_uid=f"cache-save-{model.__name__}")
            post_delete.connect(cache.invalidate, sender=model, dispatch_uid=f"cache-delete-{model.__name__}")

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="create-cache-table")


def create_cache_table(using, verbosity=0, **kwargs):
    """Create the database cache's table, if the settings use one, with every ``migrate``."""
    from django.conf import settings
    from django.core.management import call_command

    if any(cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))
