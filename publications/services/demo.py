"""The demo: its content (through the same write as an editor's save) and its two accounts."""

import datetime
import html
import json
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from people.models import Appointment, Fellowship, Person

from ..models import Publication, PublicationType, Region, Tag, Topic
from ..roles import roles_sync
from .editing import publication_state, write_state

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
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
    empty = publication_state(Publication())
    for row in data.get("publications", []):
        outlet = row.get("outlet") or {}
        if Publication.objects.filter(slug=row["slug"]).exists():
            continue
        outlet = row.get("outlet") or {}
        publication = Publication(
            status=row.get("status", Publication.Status.PUBLISHED), publish_at=_publish_time(row)
        )
        bio_lines = row.get("bio_lines", {})
        state = {
            **empty,
            "title": row["title"],
            "slug": row["slug"],
            "type": types[row["type"]].pk,
            "summary": row.get("summary", ""),
            "body": _paragraphs_to_html(row["body"]),
            "outlet_name": outlet.get("name", ""),
            "outlet_url": outlet.get("url", ""),
            "outlet_date": outlet.get("date"),
            "is_featured": row.get("is_featured", False),
            "is_sample": row.get("is_sample", True),
            "authors": [[people[slug].pk, bio_lines.get(slug, "")] for slug in row["authors"]],
            "topics": list(Topic.objects.filter(name__in=row.get("topics", [])).values_list("pk", flat=True)),
            "regions": list(
                Region.objects.filter(name__in=row.get("regions", [])).values_list("pk", flat=True)
            ),
            "tags": [Tag.objects.get_or_create(name=name)[0].pk for name in row.get("tags", [])],
        }
        write_state(publication, state, now=empty, user=None, comment="Demo content loaded")
        created += 1
    return created


DEMO_ACCOUNTS = (
    {
        "username": "editor",
        "password": "policy-analysis-demo",
        "group": "Editors",
        "name": ("Demo editor", ""),
    },
    {
        "username": "contributor",
        "password": "policy-analysis-demo",
        "group": "Contributors",
        "name": ("Demo contributor", ""),
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
        elif (user.first_name, user.last_name) == ("Demo", account["username"].capitalize()):
            # Earlier demos named both accounts "Demo", so the admin greeted both alike.
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
    return DEMO_ACCOUNTS
