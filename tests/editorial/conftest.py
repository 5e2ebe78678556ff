import pytest

from tests.factories import PersonFactory, PublicationFactory, PublicationTypeFactory


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
