import pytest
from django_webtest import DjangoTestApp
from reversion.models import Version

from publications.models import Publication, Tag
from publications.services import publication_publish, publication_state
from tests.editorial.services_support import ids, save
from tests.factories import (
    PersonFactory,
    PublicationFactory,
    PublicationTypeFactory,
    RegionFactory,
    TopicFactory,
)


@pytest.fixture
def contributor(make_user):
    return make_user("carla", "Contributors", first_name="Carla", last_name="Contributor")


@pytest.fixture
def editor(make_user):
    return make_user("edith", "Editors", first_name="Edith", last_name="Editor")


@pytest.fixture
def administrator(make_user):
    return make_user("ada", "Administrators")


@pytest.fixture
def browser(django_app):
    """Return a function that opens a browser (``django_app`` first, then new ones with their own
    cookies) with ``user`` signed in."""
    apps = []

    def open_as(user):
        app = django_app if not apps else DjangoTestApp()
        app.set_user(user)
        apps.append(app)
        return app

    return open_as


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def piece_form():
    """Return the admin add/change POST data for a piece, with overrides."""

    def build(**overrides):
        kind = PublicationTypeFactory(name="PolicyWatch", slug="policywatch")
        author = overrides.pop("author", None) or PersonFactory()
        data = {
            "title": "A new analysis",
            "slug": "a-new-analysis",
            "type": kind.pk,
            "summary": "The dek.",
            "body": "<p>Body with <strong>bold</strong>.</p>",
            "status": "draft",
            "publish_at_0": "",
            "publish_at_1": "",
            "language": "en",
            "new_tags": "",
            "authorships-TOTAL_FORMS": "1",
            "authorships-INITIAL_FORMS": "0",
            "authorships-0-person": author.pk,
            "authorships-0-position": "0",
            "authorships-0-bio_line": "",
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture
def own_piece(contributor):
    def make(**fields):
        fields.setdefault("status", "draft")
        fields.setdefault("publish_at", None)
        return PublicationFactory(created_by=contributor, **fields)

    return make


# The write path's services (test_services_*.py): three editors with one piece open at once.


@pytest.fixture
def editors(make_user):
    """Return three editors, as three colleagues with the piece open at once."""
    return [make_user(name, "Editors") for name in ("edith", "eve", "emil")]


@pytest.fixture
def people():
    return PersonFactory.create_batch(4)


@pytest.fixture
def terms():
    return {
        "topics": TopicFactory.create_batch(3),
        "regions": RegionFactory.create_batch(2),
        "tags": [Tag.objects.create(name=f"Tag {i}", slug=f"tag-{i}") for i in range(3)],
    }


@pytest.fixture
def piece(editors, people, terms):
    """Return a draft with three authors, one topic, one region and two tags."""
    return PublicationFactory(
        title="Original title",
        summary="Original summary.",
        body="<p>Original body.</p>",
        status=Publication.Status.DRAFT,
        publish_at=None,
        created_by=editors[0],
        authors=people[:3],
        topics=terms["topics"][:1],
        regions=terms["regions"][:1],
        tags=terms["tags"][:2],
    )


@pytest.fixture
def live_piece(piece, editors, people, terms):
    """Return (piece, its draft-time version): the piece since rewritten, retagged and published."""
    edith = editors[0]
    save(piece, edith, publication_state(piece))  # the draft as first saved: its first version
    draft_version = Version.objects.get_for_object(piece).get()
    save(
        piece,
        edith,
        publication_state(piece),
        title="Rewritten title",
        summary="Rewritten summary.",
        body="<p>Rewritten body.</p>",
        authors=[[people[3].pk, ""]],
        topics=ids(terms["topics"][1:]),
        regions=[],
        tags=ids(terms["tags"][2:]),
    )
    return publication_publish(publication=piece, user=edith), draft_version
