"""The media library: editors put images in a piece's body from it, each with its description, and
an image is public only once a public piece shows it."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from PIL import Image

from publications.models import LibraryImage, Publication
from publications.sanitize import sanitize_html
from publications.services import publication_publish, publication_unpublish
from tests.editorial.admin_support import change_form
from tests.factories import PublicationFactory, edit_piece

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:publications_libraryimage_library")
UPLOAD = reverse("admin:publications_libraryimage_upload")
NO_DESCRIPTION = "Every image needs a description for readers who cannot see it."


def png(name="map.png", size=(64, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 80, 140)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def page_html(response):
    return BeautifulSoup(response.content, "html.parser")


def upload(client, **fields):
    data = {"file": png(), "alt": "A map of the Levant", "caption": "", "credit": "", **fields}
    return client.post(UPLOAD, data)


def library_image(user, alt="A map of the Levant", **fields):
    image = LibraryImage(file=png(), alt=alt, uploaded_by=user, **fields)
    image.save()
    return image


def figure(image, alt=None):
    return (
        f'<figure><img src="{image.url}" alt="{alt or image.alt}" width="{image.width}" '
        f'height="{image.height}"><figcaption>The Levant</figcaption></figure>'
    )


# Uploading.


def test_an_editor_uploads_an_image_with_its_description_and_gets_it_back_to_insert(as_user, editor):
    response = upload(as_user(editor), caption="The Levant", credit="Map: the Institute")
    assert response.status_code == 201
    data = response.json()["image"]
    image = LibraryImage.objects.get()
    assert data["url"] == image.url and image.url.startswith("/media/publications/library/")
    assert (data["width"], data["height"], data["alt"]) == (64, 40, "A map of the Levant")
    assert (image.caption, image.credit, image.uploaded_by) == ("The Levant", "Map: the Institute", editor)


@pytest.mark.parametrize("alt", ["", "   "])
def test_an_upload_without_a_description_is_refused_saying_why(as_user, editor, alt):
    response = upload(as_user(editor), alt=alt)
    assert response.status_code == 400
    assert response.json()["errors"]["alt"] == [NO_DESCRIPTION]
    assert not LibraryImage.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_saying_so(as_user, editor):
    fake = SimpleUploadedFile("map.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = upload(as_user(editor), file=fake)
    assert response.status_code == 400
    assert "not an image" in response.json()["errors"]["file"][0]


def test_a_contributor_uploads_for_their_own_piece_but_not_for_someone_elses(
    as_user, contributor, editor, own_piece
):
    client = as_user(contributor)
    assert upload(client, publication=own_piece().pk).status_code == 201
    assert upload(client).status_code == 201  # a piece not saved yet
    others = PublicationFactory(status="draft", publish_at=None, created_by=editor)
    response = upload(client, publication=others.pk)
    assert response.status_code == 403
    assert response.json()["error"] == "You may add images only to pieces you can edit."
    published = own_piece(status="published", publish_at=others.created_at)
    assert upload(client, publication=published.pk).status_code == 403  # editors change it now
    assert upload(client, publication="nine").status_code == 400
    assert LibraryImage.objects.count() == 2


def test_someone_who_is_not_staff_cannot_upload_or_list(client, django_user_model):
    assert upload(client).status_code == 302  # to the sign-in page
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert upload(client).status_code == 302
    assert client.get(LIBRARY).status_code == 302
    assert not LibraryImage.objects.exists()


def test_an_upload_without_the_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert upload(client).status_code == 403
    client.get(reverse("admin:publications_publication_add"))  # the form sets the cookie
    token = client.cookies["csrftoken"].value
    assert upload(client, csrfmiddlewaretoken=token).status_code == 201


# Choosing from the library.


def test_the_library_lists_the_newest_first_and_searches_descriptions_captions_and_credits(as_user, editor):
    old = library_image(editor, alt="Tanks at the border", credit="Reuters")
    new = library_image(editor, alt="A ministers' meeting", caption="Paris, 2024")
    client = as_user(editor)
    assert [i["id"] for i in client.get(LIBRARY).json()["results"]] == [new.pk, old.pk]
    assert [i["id"] for i in client.get(LIBRARY, {"q": "reuters"}).json()["results"]] == [old.pk]
    assert [i["id"] for i in client.get(LIBRARY, {"q": "paris"}).json()["results"]] == [new.pk]
    assert client.get(LIBRARY, {"q": "nothing like it"}).json()["results"] == []


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "two"}, {"page": "9" * 5000}, {"q": "x" * 201}])
def test_a_malformed_library_request_gets_a_clear_400(as_user, editor, params):
    response = as_user(editor).get(LIBRARY, params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_the_library_pages_by_24_and_says_when_there_is_more(as_user, editor):
    for n in range(25):
        library_image(editor, alt=f"Image {n}")
    client = as_user(editor)
    first = client.get(LIBRARY).json()
    assert (len(first["results"]), first["has_next"]) == (24, True)
    second = client.get(LIBRARY, {"page": "2"}).json()
    assert (len(second["results"]), second["has_next"]) == (1, False)


def test_a_contributor_does_not_see_an_image_waiting_in_an_editors_draft(
    as_user, contributor, editor, own_piece
):
    embargoed = library_image(editor, alt="An embargoed chart")
    draft = PublicationFactory(status="draft", publish_at=None, created_by=editor)
    edit_piece(draft, body=figure(embargoed))
    mine = library_image(contributor, alt="My own photo")
    public = library_image(editor, alt="A public map")
    edit_piece(PublicationFactory(), body=figure(public))
    listed = {i["id"] for i in as_user(contributor).get(LIBRARY).json()["results"]}
    assert listed == {mine.pk, public.pk}
    assert {i["id"] for i in as_user(editor).get(LIBRARY).json()["results"]} == {
        embargoed.pk,
        mine.pk,
        public.pk,
    }


# Who may see the file.


def test_a_drafts_body_image_is_a_404_to_readers_until_the_piece_is_published(client, editor, make_user):
    image = library_image(editor)
    draft = PublicationFactory(status="draft", publish_at=None, created_by=editor)
    edit_piece(draft, body=f"<p>Intro.</p>{figure(image)}")
    assert client.get(image.url).status_code == 404
    staff = Client()
    staff.force_login(editor)
    response = staff.get(image.url)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    publication_publish(publication=Publication.objects.get(pk=draft.pk), user=editor)
    response = client.get(image.url)
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert f"/media/renditions/{image.file.name}/" in client.get(draft.get_absolute_url()).text
    publication_unpublish(publication=Publication.objects.get(pk=draft.pk), user=editor)
    assert client.get(image.url).status_code == 404


def test_an_image_taken_out_of_a_public_pieces_body_is_no_longer_public(client, editor):
    image = library_image(editor)
    piece = PublicationFactory()
    edit_piece(piece, body=figure(image))
    assert client.get(image.url).status_code == 200
    edit_piece(Publication.objects.get(pk=piece.pk), body="<p>No image now.</p>")
    assert client.get(image.url).status_code == 404
    assert not image.uses.exists()


def test_a_public_library_image_is_served_with_one_query(client, editor, django_assert_num_queries):
    image = library_image(editor)
    edit_piece(PublicationFactory(), body=figure(image))
    with django_assert_num_queries(1):
        assert client.get(image.url).status_code == 200


def test_an_image_a_piece_shows_cannot_be_deleted_from_the_library(editor):
    image = library_image(editor)
    edit_piece(PublicationFactory(), body=figure(image))
    with pytest.raises(ProtectedError):
        image.delete()


# What the body keeps, and the form's check.


def test_the_sanitizer_keeps_a_library_figure_and_makes_it_load_lazily(editor):
    image = library_image(editor)
    cleaned = sanitize_html(figure(image))
    assert cleaned == (
        f'<figure><img src="{image.url}" alt="A map of the Levant" width="64" height="40" loading="lazy">'
        "<figcaption>The Levant</figcaption></figure>"
    )
    assert sanitize_html(cleaned) == cleaned


@pytest.mark.parametrize(
    "tag", ['<img src="/media/publications/library/a.png">', '<img src="/x.png" alt=" ">']
)
def test_the_sanitizer_drops_an_image_without_a_description(tag):
    assert sanitize_html(f"<p>Before{tag}after</p>") == "<p>Beforeafter</p>"


def test_saving_a_body_with_an_image_without_a_description_is_a_form_error(browser, editor):
    piece = PublicationFactory(created_by=editor)
    body = '<p>Intro.</p><figure><img src="/media/publications/library/a.png"></figure>'
    response = change_form(browser(editor), piece, body=body).submit("_save")
    assert response.status_code == 200
    (error,) = response.html.select(".field-body .errorlist li")
    assert error.text.startswith(NO_DESCRIPTION.rstrip(".") + ": select the image, press the figure button")
    assert Publication.objects.get(pk=piece.pk).body == piece.body


def test_the_public_page_draws_a_body_image_from_its_renditions_with_its_size_and_lazily(
    client, as_user, editor
):
    assert upload(as_user(editor), file=png(size=(800, 500))).status_code == 201
    image = LibraryImage.objects.get()
    piece = PublicationFactory()
    edit_piece(piece, body=figure(image))
    page = client.get(piece.get_absolute_url())
    (drawn,) = page_html(page).select(".piece__body figure picture img")
    rendition = f"/media/renditions/{image.file.name}/640x400.jpg"
    assert drawn["src"] == rendition  # the largest rendition not wider than the image
    assert f"{rendition} 640w" in drawn["srcset"] and drawn["sizes"]
    assert (drawn["width"], drawn["height"], drawn["alt"], drawn["loading"]) == (
        "800",
        "500",
        image.alt,
        "lazy",
    )
    assert page_html(page).select(".piece__body figure picture source[type='image/avif']")
    assert client.get(rendition).status_code == 200


def test_a_drafts_body_image_renditions_are_hidden_too(client, as_user, editor):
    assert upload(as_user(editor)).status_code == 201
    image = LibraryImage.objects.get()
    draft = PublicationFactory(status="draft", publish_at=None, created_by=editor)
    edit_piece(draft, body=figure(image))
    rendition = f"/media/renditions/{image.file.name}/64x40.avif"
    assert Client().get(rendition).status_code == 404
    assert as_user(editor).get(rendition).status_code == 200


# The library in the admin.


def test_the_admin_lists_the_library_with_thumbnails_and_searches_it(browser, editor):
    library_image(editor, alt="Tanks at the border")
    library_image(editor, alt="A ministers' meeting")
    app = browser(editor)
    url = reverse("admin:publications_libraryimage_changelist")
    page = app.get(url)
    assert page.html.select("img.library-thumbnail") and "Tanks at the border" in page.text
    found = app.get(url, {"q": "tanks"})
    assert "Tanks at the border" in found.text and "ministers" not in found.text


def test_adding_an_image_in_the_admin_without_a_description_says_why(browser, editor):
    form = browser(editor).get(reverse("admin:publications_libraryimage_add")).forms["libraryimage_form"]
    form["file"] = ("map.png", png().read())
    response = form.submit("_save")
    assert NO_DESCRIPTION in response.text
    assert not LibraryImage.objects.exists()
