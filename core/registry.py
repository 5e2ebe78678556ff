"""What each app tells the site-wide machinery, declared in its ``AppConfig.ready()``.

core knows no app: the page cache, the media view and the error pages ask here instead.

- :func:`pages_show`: models whose change ends every cached page (the page cache's invalidation);
- :func:`pages_read`: the query parameters public pages read (any other is dropped before the
  cache is looked up);
- :func:`pages_change_at`: a callable returning when the public pages next change by themselves
  (a scheduled piece's time), or None;
- :func:`files_seen_by`: a callable deciding who may have a file the app uploaded, and
  :func:`orphan_files_seen_by` for files nothing claims.
"""

from dataclasses import dataclass, field

# What a media resolver answers for a file it knows: anyone may have it, only this (staff) user
# may, or this user may not. A resolver that does not know the file answers None.
PUBLIC, STAFF, DENIED = "public", "staff", "denied"


@dataclass
class Registry:
    shown_models: list = field(default_factory=list)
    public_params: set = field(default_factory=lambda: {"page"})
    schedules: list = field(default_factory=list)
    media_resolvers: list = field(default_factory=list)
    orphan_check: object = None


site = Registry()


def pages_show(*models):
    from django.db.models.signals import post_delete, post_save

    from .cache import invalidate

    for model in models:
        site.shown_models.append(model)
        label = model._meta.label
        post_save.connect(invalidate, sender=model, dispatch_uid=f"cache-save-{label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"cache-delete-{label}")


def pages_read(*params):
    site.public_params.update(params)


def pages_change_at(next_change):
    site.schedules.append(next_change)


def files_seen_by(resolver, folder):
    """``resolver(name, user)`` decides who may have the files the app uploads under ``folder``."""
    site.media_resolvers.append((folder, resolver))


def orphan_files_seen_by(check):
    site.orphan_check = check
