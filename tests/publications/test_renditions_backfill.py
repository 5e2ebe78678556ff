"""Images that came in outside the write path (an import, an old upload) get their renditions."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from people.models import Person

from ..factories import PersonFactory, PublicationFactory
from .test_pictures import stored_image

pytestmark = pytest.mark.django_db


def named_renditions(html):
    """The stored names of every rendition a page's srcsets name."""
    return {
        url.split("/media/", 1)[1]
        for srcset in re.findall(r'srcset="([^"]+)"', html)
        for url in re.findall(r"(\S+) \d+w", srcset)
    }


def run(*args):
    out = io.StringIO()
    call_command("make_renditions", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_piece_whose_image_arrived_without_renditions_gets_every_one_its_page_names(client):
    name = stored_image("publications/images/imported.png")
    piece = PublicationFactory(image=name, image_alt="An imported map")  # not through the services
    names = named_renditions(client.get(piece.get_absolute_url()).content.decode())
    assert names and not any(default_storage.exists(n) for n in names)

    assert "made for 1 image(s)" in run()
    assert all(default_storage.exists(n) for n in names)
    assert "made for 0 image(s)" in run()  # only what is missing
    default_storage.delete(sorted(names)[0])  # one rendition lost (a partial restore)
    assert "made for 1 image(s)" in run()
    assert all(default_storage.exists(n) for n in names)
    assert "made for 1 image(s)" in run("--all")


def test_portraits_are_made_too_and_an_unreadable_file_is_reported_not_fatal(client):
    person = PersonFactory(photo=stored_image("people/photos/imported.png", size=(600, 600)))
    broken = default_storage.save("people/photos/broken.png", io.BytesIO(b"not an image"))
    Person.objects.filter(pk=PersonFactory().pk).update(photo=broken)
    output = run()
    assert "made for 1 image(s); 1 unreadable" in output
    assert default_storage.exists(f"renditions/{person.photo.name}/160x160.avif")
