"""The demo: its content (two archives, loaded by the archive importer) and its two accounts.

The content is publications/demo/*.json, each an archive in the one format export_publications
writes (publications.archive). The loader differs from ``import_publications`` in two ways only:
it creates what is missing and leaves what exists alone (an editor's changes to a demo piece
stand), and it accepts a publish time relative to loading ("+P3D": the scheduled demo piece is
due three days after the demo was loaded). Each piece it writes is kept as a version with its
byline and terms, as an editor's save keeps one (services.editing.record_revision).
"""

from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ..archive import ArchiveError, archive_import, archive_loads
from ..demo.images import demo_images_ensure
from ..models import Publication
from ..roles import roles_sync

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
# In loading order: the sample pieces use the reference archive's types, topics, regions and tags.
DEMO_FILES = ("reference_content.json", "sample_content.json")
DEMO_COMMENT = "Demo content loaded"


@transaction.atomic
@reversion.create_revision(manage_manually=True)
def demo_content_load(*, files=DEMO_FILES, now=None):
    """Create the demo content that is missing; leave what exists (and any edits to it) alone.

    All the files or none. Return the number of objects created, so a second run reports 0.
    ``now`` (default: the current time) is what relative publish times count from.
    """
    reversion.set_comment(DEMO_COMMENT)
    now = now or timezone.now()
    created = 0
    for name in files:
        path = DEMO_DIR / name
        try:
            counts = archive_import(
                archive_loads(path.read_bytes(), path.name),
                missing_only=True,
                relative_to=now,
                comment=DEMO_COMMENT,
            )
        except ArchiveError as exc:
            raise ArchiveError(f"Demo content {path.name}: {exc}") from None
        created += sum(outcome["created"] for outcome in counts.values())
    demo_images_ensure()  # the pictures the archives name, and their renditions, if missing
    return created


DEMO_ACCOUNTS = (
    {
        "username": "editor",
        "password": "policy-analysis-demo",
        "group": "Editors",
        "name": ("Demo editor", ""),
        # Example addresses reach no one: under `make run` their notices are files in var/mail/.
        "email": "editor@example.org",
    },
    {
        "username": "contributor",
        "password": "policy-analysis-demo",
        "group": "Contributors",
        "name": ("Demo contributor", ""),
        "email": "contributor@example.org",
    },
)


@transaction.atomic
def demo_accounts_ensure():
    """Create the demo editor and contributor (staff, in their role's group). Return the logins.

    Only for demo settings: production never has an account with a published password.
    """
    if not settings.DEMO_CONTENT_ALLOWED:
        raise RuntimeError("Demo accounts are not allowed with these settings.")
    roles_sync()
    for account in DEMO_ACCOUNTS:
        first, last = account["name"]
        user, created = get_user_model().objects.get_or_create(
            username=account["username"],
            defaults={"is_staff": True, "first_name": first, "last_name": last, "email": account["email"]},
        )
        if created:
            user.set_password(account["password"])
            user.save()
            user.groups.add(Group.objects.get(name=account["group"]))
        elif (user.first_name, user.last_name) == ("Demo", account["username"].capitalize()):
            # Earlier demos named both accounts "Demo", so the admin greeted both alike.
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
        if not user.email:  # demo accounts made before they had addresses get their notices too
            user.email = account["email"]
            user.save(update_fields=["email"])
        if account["group"] == "Contributors":
            # The demo's piece awaiting review was submitted by the contributor: the contributor
            # sees it as their own, and gets the notice when an editor publishes or sends it back.
            Publication.objects.filter(status=Publication.Status.IN_REVIEW, created_by=None).update(
                created_by=user
            )
    return DEMO_ACCOUNTS
