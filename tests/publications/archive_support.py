"""What the archive's tests share: exporting, importing and reading back the database."""

import io
import json
import re

from django.core.management import call_command

from people.models import Appointment, Fellowship, Person
from publications.models import (
    Authorship,
    Publication,
    PublicationType,
    Region,
    SlugRedirect,
    Tag,
    TaggedRegion,
    TaggedTag,
    TaggedTopic,
    Topic,
)

REFERENCE = "netanyahu-and-putin-rendezvous-in-paris"
MODELS = (
    PublicationType,
    Topic,
    Region,
    Tag,
    Fellowship,
    Person,
    Appointment,
    Publication,
    Authorship,
    TaggedTopic,
    TaggedRegion,
    TaggedTag,
    SlugRedirect,
)


def export():
    out = io.StringIO()
    call_command("export_publications", stdout=out)
    return out.getvalue()


def import_archive(text, tmp_path):
    path = tmp_path / "archive.json"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_publications", str(path), stdout=out)
    return out.getvalue()


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot():
    """Everything import could touch, database ids and edit counters included."""
    return {
        model.__name__: sorted(
            (str(row) for row in model.objects.values()),
        )
        for model in MODELS
    }


def wipe():
    SlugRedirect.objects.all().delete()
    Publication.objects.all().delete()  # authorships and tagged items go with them
    Appointment.objects.all().delete()
    for model in (Person, Fellowship, Topic, Region, Tag, PublicationType):
        model.objects.all().delete()


def reference_parts(client):
    """Return what a reader reads of the reference piece: title, body, bio lines."""
    page = client.get(f"/policy-analysis/{REFERENCE}/").text
    return {
        "title": re.search(r'<h1 class="piece__title">.*?</h1>', page, re.S).group(),
        "body": re.search(r'<div class="piece__body prose">.*?</div>', page, re.S).group(),
        "bios": re.search(r'<section class="bios".*?</section>', page, re.S).group(),
        "byline": re.search(r'<div class="piece__meta">.*?</div>', page, re.S).group(),
    }


def archive_with(first, change):
    data = json.loads(first)
    change(data)
    return json.dumps(data)


def nested(depth):
    value = "x"
    for _ in range(depth):
        value = [value]
    return value
