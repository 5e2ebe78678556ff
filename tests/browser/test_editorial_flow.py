"""A contributor writes and submits a piece; an editor previews, schedules and publishes it."""

import datetime
import re

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from publications.models import Publication
from publications.roles import roles_sync
from tests.factories import PersonFactory, PublicationTypeFactory, TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"


@pytest.fixture
def newsroom(django_user_model):
    roles_sync()  # a transactional test starts from a flushed database
    PublicationTypeFactory(name="PolicyWatch", slug="policywatch")
    TopicFactory(name="Terrorism", slug="terrorism")
    PersonFactory(name="Anna Borshchevskaya", slug="anna-borshchevskaya", job_title="Fellow")
    users = {}
    for username, group in (("carla", "Contributors"), ("edith", "Editors")):
        user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def pick_autocomplete(page, field_selector, text):
    page.click(f"{field_selector} .select2-selection")
    page.keyboard.type(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def set_schedule_time(page, moment):
    """Fill the schedule's date-time picker (whole minutes, the site's time zone)."""
    page.fill("#id_schedule_at", timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"))


def click_transition(page, step):
    """Click a workflow button (it saves the form, then takes the step) and wait for the answer."""
    with page.expect_navigation():
        page.click(f"button[name=_transition][value={step}]")
    page.wait_for_selector(".messagelist .success")


def test_contributor_writes_editor_schedules_then_publishes(live_server, newsroom, new_page, screenshot):
    base = live_server.url
    writer = new_page()
    piece = contributor_writes_and_submits(writer, base, screenshot)
    contributor_cannot_publish_it(writer, base, piece)
    editor = new_page()
    editor_finds_and_previews(editor, base, piece, screenshot)
    # A reader sees nothing yet.
    reader = new_page(width=390, height=844)
    assert reader.goto(f"{base}{piece.get_absolute_url()}").status == 404
    editor_schedules(editor, reader, base, piece)
    editor_publishes_now(editor, reader, base, piece, screenshot)


def contributor_writes_and_submits(writer, base, screenshot):
    """A contributor writes a piece with a bold word and a link, and submits it for review."""
    log_in(writer, base, "carla")
    writer.goto(f"{base}/admin/publications/publication/add/")
    writer.fill("#id_title", "Deterrence After the Strikes")
    writer.select_option("#id_type", label="PolicyWatch")
    writer.fill("#id_summary", "What the exchange of fire means for Washington.")
    type_body_with_a_bold_word_and_a_link(writer)
    pick_autocomplete(writer, ".field-topics", "Terrorism")
    pick_autocomplete(writer, "#authorships-0 .field-person", "Anna")
    bio_line = writer.locator("#id_authorships-0-bio_line")
    expected_line = "Anna Borshchevskaya is a Fellow at The Washington Institute."
    writer.wait_for_function(
        "([el, text]) => el.placeholder === text", arg=[bio_line.element_handle(), expected_line]
    )
    screenshot(writer, "editorial-1-contributor-editor")
    with writer.expect_navigation():
        writer.click("input[name=_continue]")
    writer.wait_for_url(re.compile(r".*/admin/publications/publication/\d+/change/$"))
    assert Publication.objects.get(title="Deterrence After the Strikes").status == "draft"
    # The saved draft offers the contributor "Submit for review", and no way to publish.
    buttons = writer.locator("button[name=_transition]")
    assert [buttons.nth(i).get_attribute("value") for i in range(buttons.count())] == ["submit"]
    assert writer.locator("#id_schedule_at").count() == 0
    click_transition(writer, "submit")
    assert "In review" in writer.inner_text(".field-where_it_stands")

    piece = Publication.objects.get(title="Deterrence After the Strikes")
    assert piece.status == "in_review" and piece.slug == "deterrence-after-the-strikes"
    assert "<strong>decisive</strong>" in piece.body
    assert '<a href="https://example.org/report"' in piece.body and ">report</a>" in piece.body
    assert list(piece.topics.names()) == ["Terrorism"]
    assert [a.person.name for a in piece.authorships.all()] == ["Anna Borshchevskaya"]
    return piece


def type_body_with_a_bold_word_and_a_link(writer):
    """Type the body in the rich-text editor: "A **decisive** moment, says the [report](…)"."""
    body = writer.locator(".field-body .ProseMirror[contenteditable=true]")
    body.click()
    writer.keyboard.type("A ")
    writer.keyboard.press("Control+b")
    writer.keyboard.type("decisive")
    writer.keyboard.press("Control+b")
    writer.keyboard.type(" moment, says the report")
    # Let the editor take in every keystroke before selecting the last word.
    writer.wait_for_function("el => el.textContent.endsWith('says the report')", arg=body.element_handle())
    for _ in range(len("report")):
        writer.keyboard.press("Shift+ArrowLeft")
    writer.click(".prose-menubar__button[data-name=link]")
    writer.fill("dialog[open] input[name=href]", "https://example.org/report")
    writer.click("dialog[open] button[type=submit]")


def contributor_cannot_publish_it(writer, base, piece):
    """The contributor cannot publish it, even with a forged bulk-action request."""
    token = writer.context.cookies(base)
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    forged = writer.request.post(
        f"{base}/admin/publications/publication/",
        form={"action": "publish", "_selected_action": str(piece.pk), "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{base}/admin/publications/publication/"},
    )
    assert forged.status in (200, 302)
    assert Publication.objects.get(pk=piece.pk).status == "in_review"


def editor_finds_and_previews(editor, base, piece, screenshot):
    """The editor finds it on the dashboard and previews it at its public address."""
    log_in(editor, base, "edith")
    assert "Deterrence After the Strikes" in editor.locator("#queue-review").locator("..").inner_text()
    editor.goto(f"{base}{piece.get_absolute_url()}")
    assert "Preview: not published." in editor.inner_text(".preview-banner")
    assert editor.locator(".piece__body strong", has_text="decisive").count() == 1
    screenshot(editor, "editorial-2-preview")


def editor_schedules(editor, reader, base, piece):
    """The editor schedules it a couple of minutes ahead (the picker keeps whole minutes).

    It is scheduled, the form and the dashboard say so, and it is still not public.
    """
    editor.goto(f"{base}/admin/publications/publication/{piece.pk}/change/")
    set_schedule_time(editor, timezone.now() + datetime.timedelta(minutes=2))
    click_transition(editor, "schedule")
    piece.refresh_from_db()
    assert piece.is_scheduled
    assert "Scheduled for" in editor.inner_text(".messagelist .success")
    assert "Scheduled for" in editor.inner_text(".field-where_it_stands")
    editor.goto(f"{base}/admin/")
    assert "Deterrence After the Strikes" in editor.locator("#queue-scheduled").locator("..").inner_text()
    reader.goto(f"{base}/policy-analysis/")
    assert "Deterrence After the Strikes" not in reader.inner_text("main")

    editor.goto(f"{base}/admin/publications/publication/")
    assert (
        editor.inner_text("#result_list tr:has(a:text('Deterrence After the Strikes')) .status-badge")
        == "Scheduled"
    )


def editor_publishes_now(editor, reader, base, piece, screenshot):
    """Then the editor publishes it now: it is on the listing and in the feed."""
    editor.goto(f"{base}/admin/publications/publication/{piece.pk}/change/")
    click_transition(editor, "publish")
    assert "Published" in editor.inner_text(".field-where_it_stands")
    assert Publication.objects.get(pk=piece.pk).is_public
    reader.goto(f"{base}/policy-analysis/")
    reader.click("text=Deterrence After the Strikes")
    assert reader.locator("h1").inner_text() == "Deterrence After the Strikes"
    assert reader.locator(".piece__body a[href='https://example.org/report']").count() == 1
    screenshot(reader, "editorial-3-published-phone")
    feed = feedparser.parse(reader.request.get(f"{base}/feeds/atom/").body())
    assert [entry.title for entry in feed.entries] == ["Deterrence After the Strikes"]
