"""Weekly digests: the week's pieces of a selection in one mail at the slot, none before."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from freezegun import freeze_time

from alerts.digests import next_slot
from alerts.models import Mailing
from publications.models import Publication
from tests.factories import PublicationFactory

from .conftest import make_due, run_worker, tasks

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def two_drafts(syria):
    return [
        PublicationFactory(title=title, status=Publication.Status.DRAFT, publish_at=None, topics=[syria])
        for title in ("First of the week", "Second of the week")
    ]


def the_slot_comes():
    """Let the digests and the task that sends them be due now, as at the slot."""
    Mailing.objects.filter(kind="digest").update(due_at=timezone.now() - datetime.timedelta(seconds=1))
    make_due("send_digests")


def test_a_weekly_subscription_gets_one_digest_of_the_week_at_the_slot_and_none_before(
    smtp_server, subscribe, two_drafts, publish
):
    subscribe("weekly@example.org", "topic=syria", frequency="weekly")
    for piece in two_drafts:
        publish(piece)
    run_worker()
    assert smtp_server.messages == []
    digest = Mailing.objects.get(kind="digest")
    assert digest.due_at == next_slot()
    assert timezone.localtime(digest.due_at).weekday() == 0 and timezone.localtime(digest.due_at).hour == 7
    [task] = tasks("send_digests")
    assert task.run_after == digest.due_at

    the_slot_comes()
    run_worker()

    [message] = smtp_server.to("weekly@example.org")
    assert message["Subject"] == "This week: Analysis on Syria"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert text.index("Second of the week") < text.index("First of the week")  # newest first
    assert "You get this because you follow Analysis on Syria (weekly digest)." in text
    assert "<img" not in message.get_body(("html",)).get_content()
    run_worker()
    assert len(smtp_server.messages) == 1


def test_a_digest_leaves_out_a_piece_withdrawn_since(smtp_server, subscribe, two_drafts, publish):
    subscribe("weekly@example.org", "topic=syria", frequency="weekly")
    for piece in two_drafts:
        publish(piece)
    run_worker()
    Publication.objects.filter(pk=two_drafts[0].pk).update(status=Publication.Status.DRAFT)
    the_slot_comes()
    run_worker()
    [message] = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    assert "Second of the week" in text and "First of the week" not in text


def test_a_digest_whose_every_piece_was_withdrawn_is_not_sent(smtp_server, subscribe, draft, publish):
    subscribe("weekly@example.org", "topic=syria", frequency="weekly")
    publish(draft)
    run_worker()
    Publication.objects.filter(pk=draft.pk).update(status=Publication.Status.DRAFT)
    the_slot_comes()
    run_worker()

    assert smtp_server.messages == []
    empty = Mailing.objects.get(kind="digest", status="failed")
    assert empty.error.startswith("Nothing left to send")


def test_an_address_with_an_instant_alert_for_a_piece_does_not_get_it_again_in_its_digest(
    smtp_server, subscribe, draft, publish
):
    subscribe("both@example.org", "topic=syria")
    subscribe("both@example.org", "", frequency="weekly")
    publish(draft)
    run_worker()
    the_slot_comes()
    run_worker()

    assert smtp_server.recipients() == ["both@example.org"]
    assert not Mailing.objects.filter(kind="digest").exists()


@pytest.mark.parametrize(
    ("now", "slot"),
    [
        (datetime.datetime(2026, 3, 4, 12, 0), datetime.datetime(2026, 3, 9, 7, 0)),  # Wednesday
        (datetime.datetime(2026, 3, 9, 6, 59), datetime.datetime(2026, 3, 9, 7, 0)),  # Monday, before
        (datetime.datetime(2026, 3, 9, 7, 0), datetime.datetime(2026, 3, 16, 7, 0)),  # at the slot
        (datetime.datetime(2026, 3, 7, 12, 0), datetime.datetime(2026, 3, 9, 7, 0)),  # across DST
    ],
)
def test_the_digest_goes_out_on_monday_at_seven_in_the_sites_time_zone(now, slot):
    assert next_slot(now.replace(tzinfo=NEW_YORK)) == slot.replace(tzinfo=NEW_YORK)


def test_a_piece_published_minutes_before_the_slot_waits_for_the_next_digest(
    smtp_server, subscribe, draft, publish
):
    subscribe("weekly@example.org", "topic=syria", frequency="weekly")
    slot = next_slot()
    with freeze_time(slot - datetime.timedelta(minutes=5)):  # the digests may be going out already
        publish(draft)
        run_worker()
    assert Mailing.objects.get(kind="digest").due_at == next_slot(slot)  # a week later, not lost
