"""Staff manage every model in the admin."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from people.models import Appointment, Fellowship, Person
from publications.models import Publication, PublicationType, Region, Tag, Topic
from tests.factories import (
    AppointmentFactory,
    FellowshipFactory,
    PersonFactory,
    PublicationFactory,
    RegionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

MODELS = (Publication, PublicationType, Topic, Region, Tag, Person, Fellowship, Appointment)


@pytest.fixture
def staff(admin_client):
    appointment = AppointmentFactory()
    PublicationFactory(
        authors=[appointment.person], topics=[TopicFactory()], regions=[RegionFactory()], tags=["ISIS"]
    )
    return admin_client


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_render(staff, model):
    assert model in admin.site._registry
    assert staff.get(admin_url(model, "changelist")).status_code == 200
    assert staff.get(admin_url(model, "changelist"), {"q": "a"}).status_code == 200
    assert staff.get(admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert staff.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_publication_changelist_shows_authors_and_filters_by_status(staff):
    person = Person.objects.first()
    response = staff.get(admin_url(Publication, "changelist"), {"status__exact": "published"})
    assert person.name in response.text


def test_staff_write_a_piece_with_ordered_authors_topics_and_tags(staff, django_app, admin_user):
    kind = PublicationType.objects.get()
    first, second = PersonFactory(name="Second Author"), PersonFactory(name="First Author")
    topic, region = TopicFactory(name="Terrorism"), RegionFactory(name="Syria")
    data = {
        "title": "A new analysis",
        "slug": "a-new-analysis",
        "type": kind.pk,
        "summary": "The dek.",
        "body": "<p>Body <script>alert(1)</script></p>",
        "topics": [topic.pk],
        "regions": [region.pk],
        "tags": [Tag.objects.create(name="drones").pk],
        "new_tags": 'Hezbollah, isis, "Red Sea"',
        "language": "en",
        "authorships-TOTAL_FORMS": "2",
        "authorships-INITIAL_FORMS": "0",
        "authorships-0-person": first.pk,
        "authorships-0-position": "2",
        "authorships-0-bio_line": "",
        "authorships-1-person": second.pk,
        "authorships-1-position": "1",
        "authorships-1-bio_line": "A line the editor wrote.",
    }
    response = staff.post(admin_url(Publication, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    piece = Publication.objects.get(slug="a-new-analysis")
    form = django_app.get(admin_url(Publication, "change", piece.pk), user=admin_user).forms[
        "publication_form"
    ]
    assert "publish" in [button.value_if_submitted() for button in form.fields["_transition"]]
    response = form.submit("_transition", value="publish")  # the form's "Publish" button
    assert response.status_code == 302
    piece.refresh_from_db()
    assert piece.is_public
    assert [a.person.name for a in piece.ordered_authorships] == ["First Author", "Second Author"]
    assert [a.bio_line for a in piece.ordered_authorships] == [
        "A line the editor wrote.",
        "Second Author is a Senior Fellow at The Washington Institute.",
    ]
    assert list(piece.topics.all()) == [topic] and list(piece.regions.all()) == [region]
    assert sorted(piece.tags.names()) == ["Hezbollah", "ISIS", "Red Sea", "drones"]
    assert Tag.objects.filter(name__iexact="isis").count() == 1
    assert "<script>" not in piece.body
    assert staff.get(piece.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("field", "make", "term", "name"),
    [
        ("topics", TopicFactory, "great", "Great Power Competition"),
        ("regions", RegionFactory, "gulf", "Gulf States"),
        ("tags", lambda name: Tag.objects.create(name=name), "hezb", "Hezbollah"),
    ],
)
def test_topics_regions_and_tags_search_as_you_type(staff, field, make, term, name):
    make(name=name)
    response = staff.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "publications", "model_name": "publication", "field_name": field},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [name]
    assert f'data-field-name="{field}"' in staff.get(admin_url(Publication, "add")).text


def test_people_search_as_you_type_in_the_authors_inline(staff):
    PersonFactory(name="Anna Borshchevskaya")
    response = staff.get(
        reverse("admin:autocomplete"),
        {"term": "borsh", "app_label": "publications", "model_name": "authorship", "field_name": "person"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Anna Borshchevskaya"]


def test_an_appointment_ending_before_it_starts_is_a_form_error(staff):
    person, fellowship = PersonFactory(), FellowshipFactory()
    response = staff.post(
        admin_url(Appointment, "add"),
        {"person": person.pk, "fellowship": fellowship.pk, "start": "2020-01-01", "end": "2019-01-01"},
    )
    assert response.status_code == 200
    assert "An appointment must start before it ends." in response.text
    assert not Appointment.objects.filter(person=person).exists()


def test_deleting_a_type_in_use_is_refused_in_the_admin(staff):
    kind = PublicationType.objects.get()
    response = staff.post(admin_url(PublicationType, "delete", kind.pk), {"post": "yes"})
    assert PublicationType.objects.filter(pk=kind.pk).exists()
    assert "would require deleting the following protected related objects" in response.text


def test_view_on_site_opens_the_public_page(staff):
    piece, person = Publication.objects.get(), Person.objects.first()
    fellowship = Fellowship.objects.first()
    for obj in (piece, person, fellowship):
        content_type = ContentType.objects.get_for_model(obj)
        response = staff.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
        assert response.status_code == 302
        assert response["Location"].endswith(obj.get_absolute_url())
        assert staff.get(obj.get_absolute_url()).status_code == 200


def test_pressing_enter_in_a_field_saves_rather_than_takes_a_workflow_step(django_app, admin_user):
    """A browser's Enter presses the form's first submit button: it must be Save, never Unpublish."""
    from webtest.forms import Submit

    piece = PublicationFactory()
    page = django_app.get(admin_url(Publication, "change", piece.pk), user=admin_user)
    form = page.forms["publication_form"]
    buttons = [name for name, field in form.field_order if isinstance(field, Submit)]
    assert 'value="unpublish"' in page.text and "_transition" in buttons  # a live piece offers Unpublish...
    assert buttons[0] == "_save"  # ...after Save
