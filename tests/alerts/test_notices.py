"""Staff notices by email: editors hear of a piece to review, its author of a piece sent back or
gone public. Each step runs the workflow's service as the admin does, then the real worker."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from alerts.links import site_url
from alerts.models import StaffNotices
from publications import services
from publications.models import Publication
from tests.factories import PublicationFactory

from .conftest import make_due, run_worker, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user, django_user_model):
    """Return the people of a small newsroom, each with an address unless said otherwise."""
    return {
        "carla": make_user(
            "carla", "Contributors", email="carla@staff.example", first_name="Carla", last_name="Contributor"
        ),
        "edith": make_user(
            "edith", "Editors", email="edith@staff.example", first_name="Edith", last_name="Editor"
        ),
        "emil": make_user("emil", "Editors", email="emil@staff.example"),
        "root": django_user_model.objects.create_superuser("root", "root@staff.example", "pw"),
        "silent": make_user("silent", "Editors"),  # no address: nothing to send to
        "gone": make_user("gone", "Editors", email="gone@staff.example", is_active=False),
        "otto": make_user("otto", "Contributors", email="otto@staff.example"),  # not an editor
    }


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Return a function taking a workflow step (as the admin's button does), then running the
    worker as ``make run`` does: every task due now."""

    def take(name, publication, user, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            publication = services.TRANSITIONS[name](publication=publication, user=user, **extra)
        run_worker()
        return publication

    return take


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def draft_of(user, status=Publication.Status.DRAFT):
    return PublicationFactory(created_by=user, status=status, publish_at=None, title="Iran's Drone Exports")


def test_a_submitted_piece_is_mailed_to_every_editor_with_a_link_to_it_and_not_to_the_submitter(staff, step):
    piece = draft_of(staff["carla"])
    step("submit", piece, staff["carla"])
    assert recipients() == ["edith@staff.example", "emil@staff.example", "root@staff.example"]
    message = mail.outbox[0]
    assert message.subject == "For review: Iran's Drone Exports"
    assert "Carla Contributor submitted “Iran's Drone Exports” for review." in message.body
    path = reverse("admin:publications_publication_change", args=[piece.pk])
    assert f"Open it in the admin: {site_url(path)}" in message.body and site_url(path).startswith("http")
    html = message.alternatives[0][0]
    assert path in html and "Carla Contributor" in html
    assert "Turn these off: " in message.body and "/alerts/staffnotices/" in message.body
    assert not message.extra_headers.get("List-Unsubscribe")


def test_an_editor_submitting_their_own_piece_is_not_mailed_about_it(staff, step):
    step("submit", draft_of(staff["edith"]), staff["edith"])
    assert "edith@staff.example" not in recipients()
    assert "emil@staff.example" in recipients()


def test_an_editor_who_turned_submissions_off_is_not_mailed(staff, step):
    StaffNotices.objects.create(user=staff["emil"], on_submitted=False)
    step("submit", draft_of(staff["carla"]), staff["carla"])
    assert recipients() == ["edith@staff.example", "root@staff.example"]


def test_a_piece_sent_back_is_mailed_to_its_author_with_the_editors_note(staff, step):
    piece = step("submit", draft_of(staff["carla"]), staff["carla"])
    mail.outbox.clear()
    step("send_back", piece, staff["edith"], note="Cut the second section by half.\nAnd cite the report.")
    assert recipients() == ["carla@staff.example"]
    message = mail.outbox[0]
    assert message.subject == "Sent back to you: Iran's Drone Exports"
    assert "Edith Editor sent “Iran's Drone Exports” back to you" in message.body
    assert "Cut the second section by half.\nAnd cite the report." in message.body
    assert reverse("admin:publications_publication_change", args=[piece.pk]) in message.body
    assert "Cut the second section by half.<br>And cite the report." in message.alternatives[0][0]


def test_an_author_who_turned_sent_back_off_is_not_mailed(staff, step):
    StaffNotices.objects.create(user=staff["carla"], on_sent_back=False)
    piece = draft_of(staff["carla"], Publication.Status.IN_REVIEW)
    step("send_back", piece, staff["edith"], note="No.")
    assert recipients() == []


def test_a_piece_published_now_is_mailed_to_its_author(staff, step):
    piece = draft_of(staff["carla"], Publication.Status.IN_REVIEW)
    step("publish", piece, staff["edith"])
    assert recipients() == ["carla@staff.example"]
    message = mail.outbox[0]
    assert message.subject == "Published: Iran's Drone Exports"
    assert piece.get_absolute_url() in message.body


def test_an_editor_publishing_their_own_piece_is_not_mailed_about_it(staff, step):
    step("publish", draft_of(staff["edith"]), staff["edith"])
    assert recipients() == []


def test_a_scheduled_piece_is_mailed_to_its_author_only_when_it_goes_public(staff, step):
    piece = draft_of(staff["carla"], Publication.Status.IN_REVIEW)
    at = (timezone.now() + datetime.timedelta(hours=3)).replace(microsecond=0)
    step("schedule", piece, staff["edith"], publish_at=at)
    assert recipients() == []  # scheduled: nothing yet, the notice waits for its time
    assert tasks("notify_published", "READY").get().run_after == at
    with freeze_time(at + datetime.timedelta(minutes=1)):
        run_worker()
    assert recipients() == ["carla@staff.example"]
    assert mail.outbox[0].subject == "Published: Iran's Drone Exports"


def test_a_piece_rescheduled_later_is_mailed_once_at_its_new_time(staff, step):
    piece = draft_of(staff["carla"], Publication.Status.IN_REVIEW)
    first = (timezone.now() + datetime.timedelta(hours=3)).replace(microsecond=0)
    later = first + datetime.timedelta(days=1)
    piece = step("schedule", piece, staff["edith"], publish_at=first)
    step("schedule", piece, staff["edith"], publish_at=later)
    with freeze_time(first + datetime.timedelta(minutes=1)):
        run_worker()
    assert recipients() == []  # its first time came, but it is not public then
    with freeze_time(later + datetime.timedelta(minutes=1)):
        run_worker()
    assert recipients() == ["carla@staff.example"]


def test_a_scheduled_piece_withdrawn_before_its_time_is_not_mailed(staff, step):
    piece = draft_of(staff["carla"], Publication.Status.IN_REVIEW)
    at = (timezone.now() + datetime.timedelta(hours=3)).replace(microsecond=0)
    piece = step("schedule", piece, staff["edith"], publish_at=at)
    step("unpublish", piece, staff["edith"])
    with freeze_time(at + datetime.timedelta(minutes=1)):
        run_worker()
    assert recipients() == []


def test_a_mail_server_that_refuses_is_tried_again_later_and_the_step_stands(staff, step, smtp_server):
    smtp_server.refuse(1)  # the first notice is turned away (451), the rest accepted
    piece = draft_of(staff["carla"])
    step("submit", piece, staff["carla"])
    assert Publication.objects.get(pk=piece.pk).status == Publication.Status.IN_REVIEW
    assert sorted(smtp_server.recipients()) == ["emil@staff.example", "root@staff.example"]
    retry = tasks("deliver_notice", "READY").get()
    assert retry.run_after > timezone.now()  # later, not at once
    make_due("deliver_notice")
    run_worker()
    assert sorted(smtp_server.recipients()) == [
        "edith@staff.example",
        "emil@staff.example",
        "root@staff.example",
    ]
    assert not tasks("deliver_notice", "READY").exists()


def test_a_notice_is_given_up_after_the_last_attempt_without_failing_the_worker(
    staff, step, smtp_server, settings
):
    settings.ALERTS_MAX_ATTEMPTS = 2
    StaffNotices.objects.create(user=staff["emil"], on_submitted=False)
    StaffNotices.objects.create(user=staff["root"], on_submitted=False)
    smtp_server.refuse(10)
    step("submit", draft_of(staff["carla"]), staff["carla"])
    make_due("deliver_notice")
    run_worker()
    assert smtp_server.recipients() == []
    assert not tasks("deliver_notice", "READY").exists()
    assert not tasks(status="FAILED").filter(task_path__startswith="alerts.notices").exists()


def test_a_piece_rescheduled_earlier_is_mailed_once(staff, step):
    piece = draft_of(staff["carla"], Publication.Status.IN_REVIEW)
    later = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    sooner = later - datetime.timedelta(days=1)
    piece = step("schedule", piece, staff["edith"], publish_at=later)
    step("schedule", piece, staff["edith"], publish_at=sooner)
    with freeze_time(later + datetime.timedelta(minutes=1)):
        run_worker()  # both notices are due by now: only the one of its time counts
    assert recipients() == ["carla@staff.example"]


def test_on_the_demo_the_editor_publishing_the_piece_in_review_tells_the_contributor(step):
    call_command("load_demo", stdout=io.StringIO())
    piece = Publication.objects.get(status=Publication.Status.IN_REVIEW)
    assert piece.created_by.username == "contributor"  # the contributor's own, in their list

    step("publish", piece, get_user_model().objects.get(username="editor"))

    notice = next(message for message in mail.outbox if message.to == ["contributor@example.org"])
    assert piece.title in notice.subject
