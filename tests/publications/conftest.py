"""Fixtures shared by the archive's tests."""

import datetime

import pytest

from people.models import Person
from publications.models import Publication

from ..factories import PersonFactory, PublicationFactory, edit_piece


@pytest.fixture
def content(demo_site, hidden_pieces):
    """The demo site, pieces in every state, and the odd cases an archive must carry."""
    # A renamed piece keeps its old address.
    renamed = Publication.objects.filter(is_sample=True, status="published").order_by("slug").first()
    edit_piece(renamed, slug=f"{renamed.slug}-renamed")
    # Files by storage name (not on disk: the archive must not need them), outlet, language.
    PublicationFactory(
        title="مقال", slug="arabic-piece", language="ar", is_featured=True,
        pdf="publications/pdf/piece.pdf", image="publications/images/map.png",
        image_width=1200, image_height=800, image_alt="A map",
        outlet_name="Al-Monitor", outlet_url="https://example.org/a", outlet_date=datetime.date(2020, 2, 3),
        body='<p>Ünïcode &amp; <a href="https://example.org/">a link</a></p>',
        tags=["Free Tag"],
    )  # fmt: skip
    # A published piece whose stored bio line is empty: its author had no title then, has one now.
    untitled = PersonFactory(name="Untitled Author", slug="untitled-author", job_title="")
    PublicationFactory(slug="published-without-bio-line", authors=[untitled])
    untitled.job_title = "Research Assistant"
    untitled.save()
    Person.objects.filter(slug="anna-borshchevskaya").update(photo="people/anna.jpg")
