from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide machinery: the page cache, text and upload checks, history, links, error pages."""

    name = "core"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import pictures, registry

        # A rendition is seen by whoever may see its source (core/pictures.py).
        registry.files_seen_by(pictures.rendition_audience, folder=pictures.RENDITIONS_FOLDER)

        # No sender: post_migrate is sent only for apps with models, and core has none.
        # createcachetable leaves an existing table alone, so running it per app costs a lookup.
        post_migrate.connect(create_cache_table, dispatch_uid="create-cache-table")


def create_cache_table(using, verbosity=0, **kwargs):
    """Create the database cache's table, if the settings use one, with every ``migrate``."""
    from django.conf import settings
    from django.core.management import call_command

    if any(cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))
