"""Multi-step writes on publications. The admin and management commands call these."""

import datetime
import html
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.dateparse import parse_datetime

from people.models import Appointment, Fellowship, Person

from .models import Authorship, Publication, PublicationType, Region, Topic

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_FILES = ("reference_content.json", "sample_content.json")
DEMO_EDITOR = {"username": "editor", "password": "policy-analysis-demo"}


def _paragraphs_to_html(paragraphs):
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _merge(files):
    data = {}
    for name in files:
        for key, rows in json.loads((DEMO_DIR / name).read_text(encoding="utf-8")).items():
            data.setdefault(key, []).extend(rows)
    return data


@transaction.atomic
def demo_content_load(*, files=DEMO_FILES):
    """Create the demo content that is missing; leave what exists (and any edits to it) alone.

    Return the number of objects created, so a second run reports 0.
    """
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
                "status": Publication.Status.PUBLISHED,
                "publish_at": parse_datetime(row["publish_at"]),
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


@transaction.atomic
def demo_editor_ensure():
    """Create the demo editor (staff, with every permission on people and publications).

    Return the login. Only for demo settings: production never has a known password.
    """
    if not settings.DEMO_CONTENT_ALLOWED:
        raise RuntimeError("The demo editor is not allowed with these settings.")
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_EDITOR["username"],
        defaults={"is_staff": True, "first_name": "Demo", "last_name": "Editor"},
    )
    if created:
        user.set_password(DEMO_EDITOR["password"])
        user.save()
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=("people", "publications"))
        )
    return DEMO_EDITOR
