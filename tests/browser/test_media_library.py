"""An editor puts an image in a draft's body from the figure button: uploads it with its
description in the dialog, saves, publishes; readers see it only once the piece is out."""

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from publications.models import LibraryImage, Publication
from publications.roles import roles_sync
from tests.factories import PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
DESCRIPTION = "A map of the eastern Mediterranean with the new gas fields"


@pytest.fixture
def draft(django_user_model):
    roles_sync()  # a transactional test starts from a flushed database
    editor = django_user_model.objects.create_user("edith", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return PublicationFactory(
        title="Gas Under the Sea",
        slug="gas-under-the-sea",
        body="<p>The fields changed the map.</p>",
        status=Publication.Status.DRAFT,
        publish_at=None,
        created_by=editor,
        authors=[PersonFactory()],
    )


@pytest.fixture
def map_png(tmp_path):
    path = tmp_path / "gas-fields.png"
    Image.new("RGB", (1200, 800), (30, 80, 130)).save(path, "PNG")
    return path


def watch_errors(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def log_in(page, base):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def open_figure_dialog(page):
    page.click(".field-body .ProseMirror[contenteditable=true] p")
    page.keyboard.press("End")
    page.click(".field-body .prose-menubar [title=figure]")
    return page.wait_for_selector("dialog.library-dialog[open]")


def upload_in_dialog(page, map_png, screenshot, name):
    """Upload without a description first (refused, saying why), then with one."""
    dialog = page.locator("dialog.library-dialog")
    dialog.locator("input[type=file]").set_input_files(map_png)
    dialog.locator("button[type=submit]").click()
    error = dialog.locator(".library-error:visible")
    assert "Every image needs a description" in error.first.inner_text()
    assert not LibraryImage.objects.exists()
    dialog.get_by_label("Description (required)").fill(DESCRIPTION)
    dialog.get_by_label("Caption").fill("The fields, 2026")
    dialog.get_by_label("Credit (for a new image)").fill("Map: the Institute")
    screenshot(page, name)
    dialog.locator("button[type=submit]").click()
    page.wait_for_selector("dialog.library-dialog", state="detached")


def test_an_editor_uploads_a_body_image_in_the_figure_dialog_and_readers_see_it_once_published(
    live_server, draft, map_png, new_page, screenshot
):
    base = live_server.url
    editor = new_page()
    errors = watch_errors(editor)
    log_in(editor, base)
    editor.goto(f"{base}/admin/publications/publication/{draft.pk}/change/")
    open_figure_dialog(editor)
    upload_in_dialog(editor, map_png, screenshot, "media-library-1-dialog")
    figure = editor.locator(".field-body .ProseMirror figure")
    assert figure.locator("img").get_attribute("alt") == DESCRIPTION
    assert figure.locator("figcaption").inner_text() == "The fields, 2026 — Map: the Institute"
    with editor.expect_navigation():
        editor.click("input[name=_continue]")
    editor.wait_for_selector(".messagelist .success")

    image = LibraryImage.objects.get()
    assert (image.width, image.height, image.uploaded_by.username) == (1200, 800, "edith")
    body = Publication.objects.get(pk=draft.pk).body
    assert (
        f'<figure><img src="{image.url}" alt="{DESCRIPTION}" width="1200" height="800" loading="lazy">'
        "<figcaption>The fields, 2026 — Map: the Institute</figcaption></figure>"
    ) in body

    reader = new_page(width=390, color_scheme="dark")
    # Asked for as a request: opened as a page, the browser's own image viewer styles it inline.
    assert reader.request.get(base + image.url).status == 404  # the draft's image is not out yet
    with editor.expect_navigation():
        editor.click("button[name=_transition][value=publish]")
    editor.wait_for_selector(".messagelist .success")
    assert reader.request.get(base + image.url).status == 200
    reader.goto(f"{base}/policy-analysis/gas-under-the-sea/")
    shown = reader.locator(".piece__body figure picture img")
    assert shown.get_attribute("alt") == DESCRIPTION and shown.get_attribute("loading") == "lazy"
    assert f"/media/renditions/{image.file.name}/640x427" in shown.get_attribute("srcset")
    shown.scroll_into_view_if_needed()  # a rendition the reader may have, now the piece is out
    reader.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=shown.element_handle())
    screenshot(reader, "media-library-2-published-phone")
    assert not errors, errors


def test_an_editor_chooses_an_image_already_in_the_library(live_server, draft, map_png, new_page, screenshot):
    base = live_server.url
    editor = new_page(width=390, color_scheme="dark")
    errors = watch_errors(editor)
    log_in(editor, base)
    editor.goto(f"{base}/admin/publications/publication/{draft.pk}/change/")
    open_figure_dialog(editor)
    upload_in_dialog(editor, map_png, screenshot, "media-library-3-dialog-phone")
    # A second figure, this time chosen from the library by searching for it.
    open_figure_dialog(editor)
    dialog = editor.locator("dialog.library-dialog")
    dialog.get_by_label("Search the library").fill("gas fields")
    dialog.locator(".library-item", has_text="gas fields").click()
    assert dialog.get_by_label("Description (required)").input_value() == DESCRIPTION
    screenshot(editor, "media-library-4-choose-phone")
    dialog.locator("button[type=submit]").click()
    editor.wait_for_selector("dialog.library-dialog", state="detached")
    assert editor.locator(".field-body .ProseMirror figure img").count() == 2
    assert LibraryImage.objects.count() == 1
    assert not errors, errors
