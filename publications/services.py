"""Multi-step writes on publications. The admin and management commands call these."""

import datetime
import html
import json
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from people.models import Appointment, Fellowship, Person

from .models import Authorship, Publication, PublicationType, Region, Topic
from .roles import roles_sync
from .rules import can_edit, can_publish

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_FILES = ("reference_content.json", "sample_content.json")


def _paragraphs_to_html(paragraphs):
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _publish_time(row):
    """Return a row's publish time: a fixed one, or (for a scheduled demo piece) some days ahead."""
    if row.get("publish_in_days") is not None:
        return timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(
            days=row["publish_in_days"]
        )
    return parse_datetime(row["publish_at"]) if row.get("publish_at") else None


def _merge(files):
    data = {}
    for name in files:
        for key, rows in json.loads((DEMO_DIR / name).read_text(encoding="utf-8")).items():
            data.setdefault(key, []).extend(rows)
    return data


@transaction.atomic
@reversion.create_revision()
def demo_content_load(*, files=DEMO_FILES):
    """Create the demo content that is missing; leave what exists (and any edits to it) alone.

    Return the number of objects created, so a second run reports 0.
    """
    reversion.set_comment("Demo content loaded")
    data = _merge(files)
    created = 0

    def get_or_create(model, lookup, defaults):
        nonlocal created
        obj, was_created = model.objects.get_or_create(**lookup, defaults=defaults)
        created += was_created
        return obj, was_created

    for position, row in enumerate(data.get("types", [])):
        get_or_create(
            PublicationType,
            {"slug": row["slug"]},
            {"name": row["name"], "description": row.get("description", ""), "position": position},
        )
    for model, key in ((Topic, "topics"), (Region, "regions")):
        for row in data.get(key, []):
            get_or_create(
                model, {"slug": row["slug"]}, {"name": row["name"], "description": row["description"]}
            )
    fellowships = {}
    for row in data.get("fellowships", []):
        fellowships[row["slug"]], _ = get_or_create(
            Fellowship, {"slug": row["slug"]}, {k: v for k, v in row.items() if k != "slug"}
        )
    people = {}
    for row in data.get("people", []):
        people[row["slug"]], _ = get_or_create(
            Person, {"slug": row["slug"]}, {k: v for k, v in row.items() if k != "slug"}
        )
    for row in data.get("appointments", []):
        get_or_create(
            Appointment,
            {
                "person": people[row["person"]],
                "fellowship": fellowships[row["fellowship"]],
                "start": _date(row["start"]),
            },
            {"end": _date(row["end"])},
        )
    types = {t.slug: t for t in PublicationType.objects.all()}
    for row in data.get("publications", []):
        outlet = row.get("outlet") or {}
        publication, was_created = get_or_create(
            Publication,
            {"slug": row["slug"]},
            {
                "title": row["title"],
                "type": types[row["type"]],
                "summary": row.get("summary", ""),
                "body": _paragraphs_to_html(row["body"]),
                "status": row.get("status", Publication.Status.PUBLISHED),
                "publish_at": _publish_time(row),
                "outlet_name": outlet.get("name", ""),
                "outlet_url": outlet.get("url", ""),
                "outlet_date": _date(outlet.get("date")),
                "is_featured": row.get("is_featured", False),
                "is_sample": row.get("is_sample", True),
            },
        )
        if not was_created:
            continue
        bio_lines = row.get("bio_lines", {})
        for position, slug in enumerate(row["authors"]):
            Authorship.objects.create(
                publication=publication,
                person=people[slug],
                position=position,
                bio_line=bio_lines.get(slug, ""),
            )
        publication.topics.set(Topic.objects.filter(name__in=row.get("topics", [])))
        publication.regions.set(Region.objects.filter(name__in=row.get("regions", [])))
        publication.tags.set(row.get("tags", []))
    return created


DEMO_ACCOUNTS = (
    {
        "username": "editor",
        "password": "policy-analysis-demo",
        "group": "Editors",
        "name": ("Demo", "Editor"),
    },
    {
        "username": "contributor",
        "password": "policy-analysis-demo",
        "group": "Contributors",
        "name": ("Demo", "Contributor"),
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
            username=account["username"], defaults={"is_staff": True, "first_name": first, "last_name": last}
        )
        if created:
            user.set_password(account["password"])
            user.save()
            user.groups.add(Group.objects.get(name=account["group"]))
    return DEMO_ACCOUNTS


def _save_with_revision(publication, user, comment):
    with reversion.create_revision():
        publication.save()
        reversion.set_user(user)
        reversion.set_comment(comment)


def _require(allowed):
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do that to this piece."))


@transaction.atomic
def publication_submit(*, publication, user):
    """Send a draft to the editors for review."""
    _require(can_edit(user, publication))
    if publication.status != Publication.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    publication.status = Publication.Status.IN_REVIEW
    _save_with_revision(publication, user, _("Submitted for review"))


@transaction.atomic
def publication_publish(*, publication, user, publish_at=None):
    """Publish now, or schedule for ``publish_at`` (or the piece's own publish time if set)."""
    _require(can_publish(user))
    publication.publish_at = publish_at or publication.publish_at or timezone.now()
    publication.status = Publication.Status.PUBLISHED
    scheduled = publication.publish_at > timezone.now()
    _save_with_revision(publication, user, _("Scheduled") if scheduled else _("Published"))


@transaction.atomic
def publication_unpublish(*, publication, user):
    """Take a piece off every public surface at once; it goes back to draft."""
    _require(can_publish(user))
    publication.status = Publication.Status.DRAFT
    _save_with_revision(publication, user, _("Unpublished"))


@transaction.atomic
def publication_archive(*, publication, user):
    """Withdraw a piece from the public site but keep it, marked as archived."""
    _require(can_publish(user))
    publication.status = Publication.Status.ARCHIVED
    _save_with_revision(publication, user, _("Archived"))
