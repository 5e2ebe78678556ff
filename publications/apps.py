from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Policy Analysis")

    def ready(self):
        from core import registry

        from . import models, purges
        from .filters import PublicationFilterForm
        from .media import next_scheduled_publication, publication_file_audience, unclaimed_file_audience

        # Whatever a public page can show, and what a change to it purges (purges.py).
        registry.pages_show(
            models.PublicationType, models.Topic, models.Region, models.Tag, purges=purges.term_keys
        )
        registry.pages_show(models.SlugRedirect, purges=purges.slug_redirect_keys)
        purges.connect()
        registry.pages_read(*PublicationFilterForm.public_params())
        registry.pages_change_at(next_scheduled_publication, purges.went_public)
        registry.files_seen_by(publication_file_audience, folder="publications/")
        registry.orphan_files_seen_by(unclaimed_file_audience)
        # A deleted piece's words leave the search's suggestions (its index row goes with its row).
        from django.db.models.signals import post_delete

        from .search import forget_deleted

        post_delete.connect(forget_deleted, sender=models.Publication, dispatch_uid="search-forget-deleted")
