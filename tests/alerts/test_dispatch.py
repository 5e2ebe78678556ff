"""A piece that goes public is mailed once to every confirmed subscription it matches, through a
real SMTP server and the real task worker."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from alerts import letters
from alerts.models import Dispatch, Mailing
from alerts.sending import dispatch_piece
from publications.models import Publication
from publications.services.workflow import publication_schedule, publication_unpublish
from tests.factories import PublicationFactory, TopicFactory, staff_editor

from .conftest import make_due, run_worker, tasks

pytestmark = pytest.mark.django_db


def test_each_matching_confirmed_subscription_gets_exactly_one_alert(smtp_server, subscribe, draft, publish):
    subscribe("topic@example.org", "topic=syria")
    subscribe("everything@example.org", "")
    subscribe("unconfirmed@example.org", "topic=syria", confirmed=False)
    subscribe("bounced@example.org", "topic=syria", failed=True)
    TopicFactory(name="Iran", slug="iran")
    subscribe("iran@example.org", "topic=iran")

    publish(draft)
    run_worker()

    assert sorted(smtp_server.recipients()) == ["everything@example.org", "topic@example.org"]
    assert Dispatch.objects.get(publication=draft).finished_at is not None


def test_the_alert_is_the_piece_in_html_and_text_with_one_click_unsubscribe(
    smtp_server, subscribe, draft, publish
):
    subscription = subscribe("reader@example.org", "topic=syria")
    publish(draft)
    run_worker()

    [message] = smtp_server.to("reader@example.org")
    assert message["Subject"] == "Assad's fall & what comes next"
    assert message["Message-ID"]
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/unsubscribe/" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = dict(message.raw_items())["List-Unsubscribe"]
    assert raw == unsubscribe  # as written, not folded into encoded-words mail programs do not read
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    piece_url = f"http://127.0.0.1:8000{draft.get_absolute_url()}"
    assert "Dana Stroul and Anna Borshchevskaya" in text
    assert "The new order in Damascus." in text
    assert f"Read the analysis: {piece_url}" in text
    assert "You get this because you follow Analysis on Syria (each new piece)." in text
    assert unsubscribe.strip("<>") in text
    assert f'href="{piece_url}"' in html
    assert html.index("Dana Stroul") < html.index("Anna Borshchevskaya")
    assert "Assad's fall &amp; what comes next" in html or "Assad&#x27;s fall &amp; what comes next" in html
    assert 'style="' in html and "<style" not in html
    assert "<img" not in html
    assert 'href="/' not in html  # every link is absolute
    assert subscription.subscriber.email not in unsubscribe


def test_publishing_a_piece_again_sends_nothing_more(
    smtp_server, subscribe, draft, publish, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", "topic=syria")
    piece = publish(draft)
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        piece = publication_unpublish(publication=piece, user=staff_editor())
    publish(piece)
    run_worker()

    assert len(smtp_server.to("reader@example.org")) == 1
    assert Mailing.objects.count() == 1


def test_a_piece_that_is_not_public_is_never_mailed(smtp_server, subscribe, hidden_pieces):
    subscribe("everything@example.org", "")
    for piece in hidden_pieces:  # draft, in review, scheduled, archived
        dispatch_piece.enqueue(piece.pk)
    run_worker()

    assert smtp_server.messages == []
    assert not Dispatch.objects.exists()


def test_an_old_piece_published_again_is_not_news(smtp_server, subscribe, syria):
    subscribe("everything@example.org", "")
    piece = PublicationFactory(topics=[syria], publish_at=timezone.now() - datetime.timedelta(days=3650))
    dispatch_piece.enqueue(piece.pk)
    run_worker()

    assert smtp_server.messages == []


def test_a_scheduled_piece_is_mailed_when_its_time_comes_with_nobody_there(
    smtp_server, subscribe, draft, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", "topic=syria")
    with django_capture_on_commit_callbacks(execute=True):
        publication_schedule(
            publication=draft, user=staff_editor(), publish_at=timezone.now() + datetime.timedelta(hours=2)
        )
    run_worker()
    assert smtp_server.messages == []

    Publication.objects.filter(pk=draft.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=5))
    make_due("dispatch_piece")
    run_worker()

    assert smtp_server.recipients() == ["reader@example.org"]


def test_a_rescheduled_piece_is_mailed_once_at_its_new_time(
    smtp_server, subscribe, draft, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", "topic=syria")
    for hours in (2, 5):
        with django_capture_on_commit_callbacks(execute=True):
            draft = publication_schedule(
                publication=draft,
                user=staff_editor(),
                publish_at=timezone.now() + datetime.timedelta(hours=hours),
            )
    first, second = tasks("dispatch_piece").order_by("enqueued_at")
    tasks().filter(pk=first.pk).update(run_after=timezone.now())  # the first time has come
    run_worker()
    assert smtp_server.messages == []  # the piece is not due: its new time has its own task

    Publication.objects.filter(pk=draft.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=5))
    make_due("dispatch_piece")
    run_worker()
    assert smtp_server.recipients() == ["reader@example.org"]


def test_a_scheduled_piece_withdrawn_before_its_time_and_published_days_later_is_news_then(
    smtp_server, subscribe, draft, publish, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", "topic=syria")
    monday = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        draft = publication_schedule(publication=draft, user=staff_editor(), publish_at=monday)
        draft = publication_unpublish(publication=draft, user=staff_editor())
    assert draft.publish_at is None  # it never went public: no date to keep

    with freeze_time(monday + datetime.timedelta(days=4)):
        piece = publish(draft)
        run_worker()
    assert piece.publish_at > monday + datetime.timedelta(days=3)  # dated when it went public
    assert smtp_server.recipients() == ["reader@example.org"]


def test_a_piece_withdrawn_after_its_alerts_were_recorded_is_not_mailed(
    smtp_server, subscribe, draft, publish, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", "topic=syria")
    piece = publish(draft)
    run_worker(max_tasks=1)  # the fan-out is recorded; its chunk is not sent yet
    assert Mailing.objects.filter(status=Mailing.Status.PENDING).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        piece = publication_unpublish(publication=piece, user=staff_editor())
    run_worker()
    assert smtp_server.messages == []

    publish(piece)  # back the same day: its readers get it, once
    run_worker()
    assert smtp_server.recipients() == ["reader@example.org"]


def test_a_piece_withdrawn_while_its_alerts_go_out_stops_them_within_a_second(
    smtp_server, subscribe, draft, publish, monkeypatch
):
    for i in range(4):
        subscribe(f"reader{i}@example.org", "topic=syria")
    piece = publish(draft)
    monkeypatch.setattr(letters, "RECHECK_SECONDS", 0)  # as if each mail took a second
    compose, calls = letters.Letters.message, []

    def editor_unpublishes_after_two(self, mailing, piece_ids):
        calls.append(mailing.pk)
        if len(calls) == 3:  # an editor unpublishes while the chunk is being sent
            Publication.objects.filter(pk=piece.pk).update(status=Publication.Status.DRAFT)
        return compose(self, mailing, piece_ids)

    monkeypatch.setattr(letters.Letters, "message", editor_unpublishes_after_two)
    run_worker()
    assert len(smtp_server.messages) == 2
    waiting = Mailing.objects.filter(status=Mailing.Status.PENDING)
    assert [m.attempts for m in waiting] == [0, 0]  # they wait, no attempt spent
    assert Dispatch.objects.get().finished_at is None

    publish(Publication.objects.get(pk=piece.pk))  # back the same day: the rest go, once each
    run_worker()
    assert sorted(smtp_server.recipients()) == [f"reader{i}@example.org" for i in range(4)]


def test_an_address_following_two_matching_selections_gets_one_alert(smtp_server, subscribe, draft, publish):
    subscribe("reader@example.org", "topic=syria")
    subscribe("reader@example.org", "")
    publish(draft)
    run_worker()

    assert smtp_server.recipients() == ["reader@example.org"]


def test_the_fan_out_is_chunked_and_every_subscriber_gets_one_mail(
    smtp_server, subscribe, draft, publish, settings
):
    settings.ALERTS_CHUNK = 3
    addresses = [f"reader{i}@example.org" for i in range(10)]
    for address in addresses:
        subscribe(address, "topic=syria")
    publish(draft)
    run_worker()

    assert tasks("send_mailings").count() == 4
    assert sorted(smtp_server.recipients()) == sorted(addresses)
    assert set(Mailing.objects.values_list("status", flat=True)) == {Mailing.Status.SENT}
