"""The alerts in the admin: counts for editors, addresses and their export for administrators only,
and each staff member's own email notices."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Dispatch, Mailing, StaffNotices, Subscriber, Subscription
from tests.factories import PublicationFactory, RegionFactory, TopicFactory

pytestmark = pytest.mark.django_db

SUBSCRIBERS = reverse("admin:alerts_subscriber_changelist")
SELECTIONS = reverse("admin:alerts_selection_changelist")
DISPATCHES = reverse("admin:alerts_dispatch_changelist")
EXPORT = reverse("admin:alerts_subscriber_export")
NOTICES = reverse("admin:alerts_staffnotices_changelist")


@pytest.fixture
def followers(subscribe, syria):
    """Syria: 2 confirmed (1 instant, 1 weekly), 1 waiting, 1 failed; everything: 1 confirmed."""
    return [
        subscribe("ann@example.org", "topic=syria"),
        subscribe("ben@example.org", "topic=syria", frequency="weekly"),
        subscribe("cy@example.org", "topic=syria", confirmed=False),
        subscribe("dee@example.org", "topic=syria", failed=True),
        subscribe("ann@example.org", ""),
        subscribe("=HYPERLINK(1)@example.org", "", confirmed=False),
    ]


ADDRESSES = ("ann@example.org", "ben@example.org", "cy@example.org", "dee@example.org", "HYPERLINK")


@pytest.fixture
def editor(make_user):
    return make_user("edith", "Editors", email="edith@staff.example")


@pytest.fixture
def contributor(make_user):
    return make_user("carla", "Contributors", email="carla@staff.example")


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@staff.example", "pw")


@pytest.fixture
def sending(followers):
    """One piece's sending: 2 sent, 1 waiting, 1 failed with the server's answer naming the address."""
    piece = PublicationFactory(title="Assad's fall")
    dispatch = Dispatch.objects.create(publication=piece, finished_at=timezone.now())
    for subscription, status, error in zip(
        followers[:4],
        ["sent", "sent", "pending", "failed"],
        ["", "", "", "550 5.1.1 <dee@example.org>: Recipient address rejected"],
        strict=True,
    ):
        Mailing.objects.create(
            kind="alert",
            subscription=subscription,
            dispatch=dispatch,
            due_at=timezone.now(),
            status=status,
            error=error,
        )
    return dispatch


def test_editors_see_per_selection_counts_in_one_query(
    client, editor, followers, django_assert_max_num_queries
):
    client.force_login(editor)
    with django_assert_max_num_queries(10):
        response = client.get(SELECTIONS)
    rows = {row.label: row for row in response.context["cl"].result_list}
    syria = rows["Analysis on Syria"]
    assert (syria.confirmed, syria.waiting, syria.failed, syria.instant, syria.weekly) == (2, 1, 1, 1, 1)
    assert 'href="/topics/syria/"' in response.text
    column = response.context["cl"].list_display.index("confirmed")
    for order, first in ((f"-{column}", "Analysis on Syria"), (str(column), "All Policy Analysis")):
        rows = client.get(SELECTIONS, {"o": order}).context["cl"].result_list
        assert rows[0].label == first  # sortable by the confirmed count


def test_editors_see_each_sendings_counts_and_errors_without_addresses(client, editor, sending):
    client.force_login(editor)
    response = client.get(DISPATCHES)
    row = response.context["cl"].result_list[0]
    assert (row.sent, row.waiting, row.failed) == (2, 1, 1)
    assert "Recipient address rejected" in response.text and "[address]" in response.text
    detail = client.get(reverse("admin:alerts_dispatch_change", args=[sending.pk]))
    assert detail.status_code == 200 and "1 × 550 5.1.1 &lt;[address]&gt;" in detail.text


def test_a_sending_counts_the_weekly_digests_the_piece_went_out_in(client, editor, sending, followers):
    weekly = followers[1]
    for status in ("sent", "failed"):
        digest = Mailing.objects.create(
            kind="digest", subscription=weekly, due_at=timezone.now(), status=status
        )
        digest.pieces.add(sending.publication)
    client.force_login(editor)
    row = client.get(DISPATCHES).context["cl"].result_list[0]
    assert (row.sent, row.digests) == (2, 1)


def test_a_piece_that_was_mailed_can_still_be_deleted_and_its_sending_stays_counted(
    client, administrator, sending
):
    client.force_login(administrator)
    url = reverse("admin:publications_publication_delete", args=[sending.publication_id])
    page = client.get(url)
    assert page.status_code == 200 and "permission to delete" not in page.text

    assert client.post(url, {"post": "yes"}).status_code == 302
    sending.refresh_from_db()
    assert sending.publication is None
    row = client.get(DISPATCHES).context["cl"].result_list[0]
    assert (row.sent, row.waiting, row.failed) == (2, 1, 1)


def test_an_editor_sees_no_subscriber_address_anywhere_in_the_admin(client, editor, sending):
    client.force_login(editor)
    pages = [
        reverse("admin:index"),
        reverse("admin:app_list", args=["alerts"]),
        SELECTIONS,
        reverse("admin:alerts_selection_change", args=[sending.mailings.first().subscription.selection_id]),
        DISPATCHES,
        reverse("admin:alerts_dispatch_change", args=[sending.pk]),
        NOTICES,
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for address in ADDRESSES:
            assert address not in response.text, (page, address)
    subscriber = Subscriber.objects.get(email="ann@example.org")
    for page in (SUBSCRIBERS, EXPORT, reverse("admin:alerts_subscriber_change", args=[subscriber.pk])):
        assert client.get(page).status_code == 403, page
    assert b"ann@example.org" not in client.get(EXPORT).content


def test_a_contributor_sees_neither_subscribers_nor_counts(client, contributor, sending):
    client.force_login(contributor)
    for page in (SUBSCRIBERS, EXPORT, SELECTIONS, DISPATCHES):
        assert client.get(page).status_code == 403, page
    index = client.get(reverse("admin:index")).text
    assert SELECTIONS not in index and NOTICES in index


def test_administrators_list_subscribers_with_their_counts_search_and_filter(
    client, administrator, followers
):
    client.force_login(administrator)
    rows = {row.email: row for row in client.get(SUBSCRIBERS).context["cl"].result_list}
    assert (rows["ann@example.org"].subscription_count, rows["ann@example.org"].confirmed_count) == (2, 2)
    assert (rows["cy@example.org"].subscription_count, rows["cy@example.org"].confirmed_count) == (1, 0)

    def emails(**params):
        return sorted(row.email for row in client.get(SUBSCRIBERS, params).context["cl"].result_list)

    assert emails(state="failed") == ["dee@example.org"]
    assert emails(state="unconfirmed") == ["=HYPERLINK(1)@example.org", "cy@example.org"]
    assert emails(state="confirmed") == ["ann@example.org", "ben@example.org"]
    assert emails(q="ben@") == ["ben@example.org"]
    page = client.get(reverse("admin:alerts_subscriber_change", args=[rows["ann@example.org"].pk]))
    assert page.status_code == 200
    assert "Analysis on Syria" in page.text and "All Policy Analysis" in page.text  # its subscriptions


def test_administrators_export_every_subscription_as_csv(client, administrator, followers):
    client.force_login(administrator)
    assert f'href="{EXPORT}"' in client.get(SUBSCRIBERS).text
    response = client.get(EXPORT)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"] and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["email", "selection", "page", "frequency", "subscribed", "confirmed", "failed"]
    assert len(rows) == 1 + len(followers)
    ben = next(row for row in rows if row[0] == "ben@example.org")
    assert (
        ben[1] == "Analysis on Syria"
        and ben[2] == "/topics/syria/"
        and ben[3] == "weekly"
        and ben[5]
        and not ben[6]
    )
    assert next(row for row in rows if row[0] == "dee@example.org")[6]  # failed, with its time
    assert "'=HYPERLINK(1)@example.org" in [row[0] for row in rows]  # a spreadsheet shows it as text


def test_administrators_export_the_selected_subscribers(client, administrator, followers):
    client.force_login(administrator)
    ben = Subscriber.objects.get(email="ben@example.org")
    response = client.post(SUBSCRIBERS, {"action": "export_selected", "_selected_action": [ben.pk]})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == ["ben@example.org"]


def test_the_lists_query_count_does_not_grow_with_their_rows(
    client, administrator, editor, subscribe, django_assert_max_num_queries
):
    topics = TopicFactory.create_batch(15)
    regions = RegionFactory.create_batch(5)
    for index in range(60):
        term = topics[index % 15]
        subscribe(f"reader{index}@example.org", f"topic={term.slug}", confirmed=index % 3 > 0)
        subscribe(f"reader{index}@example.org", f"region={regions[index % 5].slug}", frequency="weekly")
    for piece in PublicationFactory.create_batch(12):
        dispatch = Dispatch.objects.create(publication=piece)
        for subscription in Subscription.objects.all()[:5]:
            Mailing.objects.create(
                kind="alert", subscription=subscription, dispatch=dispatch, due_at=timezone.now()
            )
    client.force_login(administrator)
    for page in (SUBSCRIBERS, SELECTIONS, DISPATCHES):
        with django_assert_max_num_queries(10):
            assert client.get(page).status_code == 200
    client.force_login(editor)
    for page in (SELECTIONS, DISPATCHES):
        with django_assert_max_num_queries(10):
            assert client.get(page).status_code == 200


# Each staff member's own notices page.


def test_the_user_tools_link_to_my_email_notices(client, contributor):
    client.force_login(contributor)
    assert f'<a href="{NOTICES}">My email notices</a>' in client.get(reverse("admin:index")).text


def test_a_contributor_turns_off_the_published_notice_on_their_own_page(client, contributor):
    client.force_login(contributor)
    page = client.get(NOTICES)
    assert page.status_code == 200 and "carla@staff.example" in page.text
    assert 'name="on_sent_back"' in page.text and 'name="on_submitted"' not in page.text  # editors only
    response = client.post(NOTICES, {"on_sent_back": "on"})
    assert response.status_code == 302
    notices = StaffNotices.objects.get(user=contributor)
    assert notices.on_sent_back and not notices.on_published and notices.on_submitted
    again = client.get(NOTICES).text
    assert '<input type="checkbox" name="on_sent_back" id="id_on_sent_back" checked>' in again
    assert '<input type="checkbox" name="on_published" id="id_on_published">' in again


def test_an_editor_turns_off_the_submitted_notice_and_it_stays_off(client, editor, contributor):
    client.force_login(editor)
    assert 'name="on_submitted"' in client.get(NOTICES).text
    client.post(NOTICES, {"on_sent_back": "on", "on_published": "on"})
    assert not StaffNotices.objects.get(user=editor).on_submitted
    assert not StaffNotices.objects.filter(user=contributor).exists()  # each their own page
