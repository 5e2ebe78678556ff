"""Two editors on one piece, the autosaved draft and the leave warning, in a real browser.

Each editor is a browser context of their own (own cookies, own session). Saves made from copies
opened at the same time merge field by field; a field both changed is shown side by side, and
nothing is written until the editor chooses; a private draft copy kept while typing survives a
reload without touching the piece; leaving a changed form asks first, saving it does not.
"""

import time

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from publications.models import Autosave, Publication
from publications.roles import roles_sync
from tests.factories import PersonFactory, PublicationFactory, TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
TITLE = "Deterrence After the Strikes"
SUMMARY = "What the exchange of fire means for Washington."
BODY = "<p>The first paragraph.</p><p>The second paragraph.</p>"
BODY_EDITOR = ".field-body .ProseMirror[contenteditable=true]"


@pytest.fixture
def piece(django_user_model):
    """Return a published piece with an author and a topic; Edith and Emil are editors."""
    roles_sync()  # a transactional test starts from a flushed database
    editors = Group.objects.get(name="Editors")
    for username, first_name in (("edith", "Edith"), ("emil", "Emil")):
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, is_staff=True, first_name=first_name
        )
        user.groups.add(editors)
    return PublicationFactory(
        title=TITLE,
        slug="deterrence-after-the-strikes",
        summary=SUMMARY,
        body=BODY,
        authors=[PersonFactory(name="Anna Borshchevskaya", slug="anna-borshchevskaya")],
        topics=[TopicFactory(name="Terrorism", slug="terrorism")],
    )


@pytest.fixture
def more_authors():
    return [
        PersonFactory(name="Dana Stroul", slug="dana-stroul"),
        PersonFactory(name="Matthew Levitt", slug="matthew-levitt"),
    ]


def signed_in(new_page, base, username):
    """Return a page in a browser context of its own, signed in as ``username``."""
    page = new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def open_form(page, base, piece):
    page.goto(f"{base}/admin/publications/publication/{piece.pk}/change/")
    page.wait_for_selector(BODY_EDITOR)  # the rich-text editor is up: the form's scripts have run


def save(page):
    """Click "Save and continue editing" and wait for the answer (the form again, saved or not)."""
    with page.expect_navigation():
        page.click("input[name=_continue]")


def type_at_end_of_body(page, text):
    page.click(BODY_EDITOR)
    page.keyboard.press("Control+End")
    page.keyboard.type(text)
    # The editor has taken in every keystroke and copied its HTML to the form's textarea.
    page.wait_for_function("text => document.getElementById('id_body').value.includes(text)", arg=text)


def pick_author(page, row, name):
    """Pick a person in a byline row's search-as-you-type field."""
    page.click(f"#authorships-{row} .field-person .select2-selection")
    page.keyboard.type(name.split()[0])
    page.locator(".select2-results__option", has_text=name).first.click()
    rendered = page.locator(f"#authorships-{row} .field-person .select2-selection__rendered")
    expect(rendered).to_contain_text(name)


def eventually(check, timeout=15.0, what="the condition"):
    """Return check()'s first true result, asking again until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
    return result


def stored(piece):
    piece = Publication.objects.get(pk=piece.pk)
    return {
        "title": piece.title,
        "summary": piece.summary,
        "body": piece.body,
        "status": piece.status,
        "publish_at": piece.publish_at,
        "authors": [a.person.name for a in piece.authorships.all()],
        "topics": list(piece.topics.names()),
    }


def test_two_editors_merge_different_fields_and_choose_on_the_same_field(live_server, piece, new_page):
    base = live_server.url
    before = stored(piece)
    edith = signed_in(new_page, base, "edith")
    emil = signed_in(new_page, base, "emil")
    different_fields_merge(edith, emil, base, piece, before)
    both_change_the_title(edith, emil, base, piece)
    emils_save_is_held_with_nothing_lost(emil, piece)
    leaving_the_held_form_asks_first(emil)
    emil_keeps_ediths_title_and_saves(emil, piece, before)
    # Edith, reopening, sees everything both of them kept.
    open_form(edith, base, piece)
    expect(edith.locator("#id_title")).to_have_value("Edith's Title After the Strikes")
    expect(edith.locator(BODY_EDITOR)).to_contain_text("Emil adds a closing sentence.")


def different_fields_merge(edith, emil, base, piece, before):
    """Different fields: both changes are kept, nothing is refused.

    Both open the piece; Edith saves a new summary, then Emil, whose form still holds the old
    summary, saves a new title.
    """
    open_form(edith, base, piece)
    open_form(emil, base, piece)
    edith.fill("#id_summary", "Edith's summary: what the strikes change.")
    save(edith)
    expect(edith.locator(".messagelist .success")).to_be_visible()
    emil.fill("#id_title", "Emil's Title After the Strikes")
    save(emil)
    expect(emil.locator(".messagelist .success")).to_be_visible()
    assert emil.locator(".conflict, .errornote").count() == 0

    after = stored(piece)
    assert after["title"] == "Emil's Title After the Strikes"
    assert after["summary"] == "Edith's summary: what the strikes change."
    assert {k: after[k] for k in ("body", "status", "publish_at", "authors", "topics")} == {
        k: before[k] for k in ("body", "status", "publish_at", "authors", "topics")
    }
    # Emil's form, as the save answered it, shows Edith's summary with his title.
    expect(emil.locator("#id_title")).to_have_value("Emil's Title After the Strikes")
    expect(emil.locator("#id_summary")).to_have_value("Edith's summary: what the strikes change.")


def both_change_the_title(edith, emil, base, piece):
    """The same field: both open the piece again and both change the title.

    Edith also changes the summary, Emil adds a sentence to the body. Edith saves first.
    """
    open_form(edith, base, piece)
    open_form(emil, base, piece)
    edith.fill("#id_title", "Edith's Title After the Strikes")
    edith.fill("#id_summary", "Edith's second summary.")
    save(edith)
    expect(edith.locator(".messagelist .success")).to_be_visible()
    emil.fill("#id_title", "Emil's Second Title")
    type_at_end_of_body(emil, " Emil adds a closing sentence.")
    save(emil)


def emils_save_is_held_with_nothing_lost(emil, piece):
    """Emil's save is held: both titles side by side with a diff and a choice; nothing written."""
    conflict = emil.locator(".conflict")
    expect(conflict).to_be_visible()
    assert "Edith" in conflict.locator("p").first.inner_text()  # who saved meanwhile
    fields = conflict.locator(".conflict-field")
    assert fields.count() == 1 and fields.locator("legend").inner_text() == "Title"
    theirs, yours = fields.locator(".conflict-value").all()
    assert theirs.inner_text() == "Edith's Title After the Strikes"
    assert yours.inner_text() == "Emil's Second Title"
    assert "Edith" in fields.locator(".conflict-diff del").all_inner_texts()[0]
    assert "Emil" in fields.locator(".conflict-diff ins").all_inner_texts()[0]
    assert stored(piece)["title"] == "Edith's Title After the Strikes"
    assert "closing sentence" not in stored(piece)["body"]
    # Nothing typed is lost: the form still holds Emil's title and body.
    expect(emil.locator("#id_title")).to_have_value("Emil's Second Title")
    expect(emil.locator(BODY_EDITOR)).to_contain_text("Emil adds a closing sentence.")
    # The choice is required: the browser will not send the form until one is made.
    assert emil.locator("input[name=resolve-title]").first.evaluate("el => el.validity.valueMissing")


def leaving_the_held_form_asks_first(emil):
    """Leaving now would lose what Emil typed: the page asks first (and he stays)."""
    emil.on("dialog", lambda dialog: dialog.dismiss())
    emil.click("#id_title")  # a page asks only once it has been used
    with emil.expect_event("dialog") as leaving:
        emil.locator("#site-name a").click()
    assert leaving.value.type == "beforeunload"
    expect(emil.locator("#id_title")).to_have_value("Emil's Second Title")


def emil_keeps_ediths_title_and_saves(emil, piece, before):
    """Emil keeps Edith's title and saves: her title and summary, and his body sentence, are kept."""
    emil.check("input[name=resolve-title][value=theirs]")
    save(emil)
    expect(emil.locator(".messagelist .success")).to_be_visible()
    assert emil.locator(".conflict").count() == 0
    final = stored(piece)
    assert final["title"] == "Edith's Title After the Strikes"
    assert final["summary"] == "Edith's second summary."
    assert "<p>The first paragraph.</p>" in final["body"]
    assert "The second paragraph. Emil adds a closing sentence." in final["body"]
    assert {k: final[k] for k in ("status", "publish_at", "authors", "topics")} == {
        k: before[k] for k in ("status", "publish_at", "authors", "topics")
    }
    expect(emil.locator("#id_title")).to_have_value("Edith's Title After the Strikes")
    expect(emil.locator("#id_summary")).to_have_value("Edith's second summary.")
    expect(emil.locator(BODY_EDITOR)).to_contain_text("Emil adds a closing sentence.")
    # What he kept while typing is gone with the save: nothing is offered back.
    assert emil.locator("#autosave-offer").count() == 0
    assert not Autosave.objects.filter(user__username="emil").exists()


def test_the_autosaved_draft_survives_a_reload_and_can_be_restored_or_discarded(
    live_server, piece, more_authors, new_page
):
    base = live_server.url
    before = stored(piece)
    page = signed_in(new_page, base, "edith")
    page.on("dialog", lambda dialog: dialog.accept())  # reloading a changed form asks first
    open_form(page, base, piece)
    typed_fields_are_kept_as_a_copy(page, piece)
    picked_authors_are_kept_as_a_copy(page, piece, more_authors)
    assert stored(piece) == before  # the piece itself was not touched
    reloading_offers_the_copy_back(page)
    bringing_the_copy_back_fills_the_form(page, more_authors)
    assert stored(piece) == before
    discarding_the_copy_removes_it(page, piece)
    assert stored(piece) == before


def kept(piece):
    """Return the fields of Edith's autosaved copy of ``piece`` ({} while there is none)."""
    copy = Autosave.objects.filter(user__username="edith", publication=piece).first()
    return copy.fields if copy else {}


def typed_fields_are_kept_as_a_copy(page, piece):
    """A few seconds after the typing stops, the page says a copy was kept, and it is on the server."""
    page.fill("#id_title", "A title typed but never saved")
    page.fill("#id_summary", "A summary typed but never saved.")
    type_at_end_of_body(page, " A sentence typed but never saved.")
    expect(page.locator(".autosave-status")).to_contain_text("Draft copy kept at")
    eventually(
        lambda: (
            kept(piece).get("title") == "A title typed but never saved"
            and kept(piece).get("summary") == "A summary typed but never saved."
            and "A sentence typed but never saved." in kept(piece).get("body", "")
        ),
        what="the autosaved copy of the typed fields",
    )


def picked_authors_are_kept_as_a_copy(page, piece, more_authors):
    """Two authors are picked from search-as-you-type lists, and the copy follows.

    One goes in the empty byline row, one in a row added with "Add another".
    """
    dana, matthew = more_authors
    pick_author(page, 1, "Dana Stroul")
    page.click("#authorships-group .add-row a")
    pick_author(page, 2, "Matthew Levitt")
    eventually(
        lambda: (
            kept(piece).get("authorships-1-person") == [[str(dana.pk), "Dana Stroul"]]
            and kept(piece).get("authorships-2-person") == [[str(matthew.pk), "Matthew Levitt"]]
        ),
        what="the autosaved copy of the byline",
    )


def reloading_offers_the_copy_back(page):
    """Reloading shows the piece as stored, and offers the copy back."""
    page.reload()
    offer = page.locator("#autosave-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("You have unsaved changes to this form.")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.wait_for_selector(BODY_EDITOR)


def bringing_the_copy_back_fills_the_form(page, more_authors):
    """ "Bring them back" puts the typed text back into the fields, rich-text body included."""
    page.click("#autosave-restore")
    expect(page.locator("#autosave-offer")).to_have_count(0)
    expect(page.locator("#id_title")).to_have_value("A title typed but never saved")
    expect(page.locator("#id_summary")).to_have_value("A summary typed but never saved.")
    expect(page.locator(BODY_EDITOR)).to_contain_text(
        "The second paragraph. A sentence typed but never saved."
    )
    assert "A sentence typed but never saved." in page.input_value("#id_body")
    dana, matthew = more_authors
    for row, person in ((1, dana), (2, matthew)):
        expect(page.locator(f"#id_authorships-{row}-person")).to_have_value(str(person.pk))
        rendered = page.locator(f"#authorships-{row} .field-person .select2-selection__rendered")
        expect(rendered).to_contain_text(person.name)
    expect(page.locator("#id_authorships-TOTAL_FORMS")).to_have_value("3")
    expect(page.locator("#id_authorships-INITIAL_FORMS")).to_have_value("1")


def discarding_the_copy_removes_it(page, piece):
    """Until it is saved or discarded, the copy is offered again; "Discard them" removes it."""
    offer = page.locator("#autosave-offer")
    page.reload()
    page.wait_for_selector(BODY_EDITOR)
    expect(offer).to_be_visible()
    page.click("#autosave-discard")
    expect(offer).to_have_count(0)
    eventually(lambda: not Autosave.objects.filter(publication=piece).exists(), what="the copy to be deleted")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.reload()
    page.wait_for_selector(BODY_EDITOR)
    expect(page.locator("#id_title")).to_have_value(TITLE)
    assert page.locator("#autosave-offer").count() == 0


def test_leaving_a_changed_form_asks_first_and_saving_it_does_not(live_server, piece, new_page):
    base = live_server.url
    page = signed_in(new_page, base, "edith")
    dialogs, answer = [], {"accept": True}

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.accept() if answer["accept"] else dialog.dismiss()

    page.on("dialog", on_dialog)
    form_url = f"{base}/admin/publications/publication/{piece.pk}/change/"
    home_link = "#site-name a"

    # Clicking into a field without changing anything, then leaving: no question. Nor after
    # typing something and taking it back.
    open_form(page, base, piece)
    page.click("#id_title")
    with page.expect_navigation():
        page.click(home_link)
    open_form(page, base, piece)
    page.click("#id_title")
    page.keyboard.press("End")
    page.keyboard.type("xy")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    with page.expect_navigation():
        page.click(home_link)
    assert dialogs == []

    # After a change, following a link asks; staying keeps the page and the text.
    open_form(page, base, piece)
    page.click("#id_title")
    page.keyboard.press("End")
    page.keyboard.type(" (revised)")
    answer["accept"] = False
    with page.expect_event("dialog"):
        page.click(home_link)
    assert dialogs == ["beforeunload"]
    assert page.url == form_url
    expect(page.locator("#id_title")).to_have_value(f"{TITLE} (revised)")

    # Going to another address asks too; leaving then goes.
    answer["accept"] = True
    page.goto(f"{base}/admin/")
    assert dialogs == ["beforeunload", "beforeunload"]
    assert page.url == f"{base}/admin/"
    assert stored(piece)["title"] == TITLE

    # Saving a changed form does not ask, and the saved form can be left without a question.
    open_form(page, base, piece)
    page.click("#id_summary")
    page.keyboard.press("Control+End")
    page.keyboard.type(" Saved on purpose.")
    save(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert stored(piece)["summary"] == f"{SUMMARY} Saved on purpose."
    page.click("#id_title")
    page.goto(f"{base}/admin/")
    assert dialogs == ["beforeunload", "beforeunload"]
