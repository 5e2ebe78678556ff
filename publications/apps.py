from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Policy Analysis")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

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
