"""What each app tells the site-wide machinery, declared in its ``AppConfig.ready()``.

core knows no app: the page cache, the media view and the error pages ask here instead.

- :func:`pages_show`: models whose rows appear on public pages, and what a change to a row purges
  (core/purge.py);
- :func:`pages_read`: the query parameters public pages read (any other is dropped before the
  cache is looked up);
- :func:`pages_change_at`: a callable returning when the public pages next change by themselves
  (a scheduled piece's time), or None, and one returning the keys to purge for what went public
  between two times;
- :func:`files_seen_by`: a callable deciding who may have a file the app uploaded, and
  :func:`orphan_files_seen_by` for files nothing claims.
"""

from dataclasses import dataclass, field

# What a media resolver answers for a file it knows: anyone may have it, only this (staff) user
# may, or this user may not. A resolver that does not know the file answers None.
PUBLIC, STAFF, DENIED = "public", "staff", "denied"


@dataclass
class Registry:
    public_params: set = field(default_factory=lambda: {"page", "p"})  # p: a sitemap's pages
    schedules: list = field(default_factory=list)
    went_public: list = field(default_factory=list)
    media_resolvers: list = field(default_factory=list)
    orphan_check: object = None


site = Registry()


def pages_show(*models, purges=None):
    """Rows of ``models`` appear on public pages: a change to one purges ``purges(row, change)``.

    ``change`` is "created", "changed" or "deleted"; by default the row's own keys are purged
    (``row.page_keys()``). A model needing more (what it was before) connects its own signals.
    """
    from django.db.models.signals import post_delete, post_save

    for model in models:
        label = model._meta.label
        keys = purges or (lambda row, change: row.page_keys())
        post_save.connect(_purger(keys), sender=model, dispatch_uid=f"cache-save-{label}", weak=False)
        post_delete.connect(_purger(keys), sender=model, dispatch_uid=f"cache-delete-{label}", weak=False)


def _purger(keys):
    def purge_after(sender, instance, created=None, **kwargs):
        from .purge import purge

        change = "deleted" if created is None else "created" if created else "changed"
        purge(keys(instance, change))

    return purge_after


def pages_read(*params):
    site.public_params.update(params)


def pages_change_at(next_change, went_public):
    """``next_change()``: when a scheduled piece next goes public; ``went_public(since, until)``:
    the keys to purge for the pieces that went public between those two times (epoch seconds)."""
    site.schedules.append(next_change)
    site.went_public.append(went_public)


def files_seen_by(resolver, folder):
    """``resolver(name, user)`` decides who may have the files the app uploads under ``folder``."""
    site.media_resolvers.append((folder, resolver))


def orphan_files_seen_by(check):
    site.orphan_check = check
