import datetime

import pytest
from django.utils import timezone

from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_pieces_awaiting_review_and_scheduled(as_user, editor, contributor):
    PublicationFactory(
        title="Waiting for an editor", status="in_review", publish_at=None, created_by=contributor
    )
    PublicationFactory(title="Goes out tomorrow", publish_at=timezone.now() + datetime.timedelta(days=1))
    PublicationFactory(title="Already out")
    text = as_user(editor).get("/admin/").text
    review = text.split('id="queue-review"')[1].split("</section>")[0]
    scheduled = text.split('id="queue-scheduled"')[1].split("</section>")[0]
    assert "Waiting for an editor" in review and "Carla Contributor" in review
    assert "Goes out tomorrow" in scheduled
    assert "Already out" not in text


def test_a_contributor_sees_only_their_own_queue(as_user, contributor, make_user):
    PublicationFactory(title="Mine", status="in_review", publish_at=None, created_by=contributor)
    PublicationFactory(title="Someone else's", status="in_review", publish_at=None, created_by=make_user("o"))
    text = as_user(contributor).get("/admin/").text
    assert "Mine" in text and "Someone else&#x27;s" not in text and "Someone else's" not in text
