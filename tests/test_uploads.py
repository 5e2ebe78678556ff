"""Uploads in the admin: a PDF must be a PDF and an image a photo format, both of sensible size;
anything else is a form error that says what to do, and nothing typed in the form is lost."""

import io

import pytest
from PIL import Image
from webtest import Upload

from people.models import Person
from publications.models import Publication
from tests.factories import PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def image_bytes(kind="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def piece():
    return PublicationFactory(title="Deterrence after the strikes")


@pytest.fixture
def admin_app(django_app, admin_user):
    """A browser with the site's administrator signed in."""
    django_app.set_user(admin_user)
    return django_app


def change(app, url, form_id, **changes):
    """Open the change form at ``url``, type or pick (an ``Upload``) ``changes`` and press Save."""
    form = app.get(url).forms[form_id]
    for name, value in changes.items():
        form[name] = value
    return form.submit("_save")


def change_piece(app, piece, **changes):
    return change(app, f"/admin/publications/publication/{piece.pk}/change/", "publication_form", **changes)


def errors(response, field):
    return [str(e) for e in response.context["adminform"].form.errors.get(field, [])]


def test_a_real_pdf_and_a_real_image_are_accepted(admin_app, piece):
    response = change_piece(
        admin_app,
        piece,
        pdf=Upload("report.pdf", PDF, "application/pdf"),
        image=Upload("map.png", image_bytes(), "image/png"),
        image_alt="A map of the region",
    )
    assert response.status_code == 302
    piece.refresh_from_db()
    assert piece.pdf.name.endswith(".pdf") and (piece.image_width, piece.image_height) == (40, 30)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "This file is not a PDF"),
        # The signature must open the file: a page that only mentions it is still a page.
        ("report.pdf", b"<html><!-- %PDF-1.7 --><script>alert(1)</script></html>", "This file is not a PDF"),
        ("report.pdf", b"\n%PDF-1.7\n" + PDF, "This file is not a PDF"),
        ("report.docx", PDF, "Upload a PDF file"),
        ("report.pdf", b"", "The submitted file is empty"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_the_edit_is_kept(admin_app, piece, name, content, message):
    response = change_piece(
        admin_app, piece, title="A title typed before the upload", pdf=Upload(name, content)
    )
    assert response.status_code == 200
    assert any(message in error for error in errors(response, "pdf"))
    assert 'value="A title typed before the upload"' in response.text  # the typing is still there
    piece.refresh_from_db()
    assert piece.title == "Deterrence after the strikes" and not piece.pdf


def test_an_oversized_pdf_is_refused_with_the_limit(admin_app, piece, settings):
    settings.PDF_MAX_BYTES = 1024
    response = change_piece(admin_app, piece, pdf=Upload("big.pdf", PDF + b"0" * 2048))
    assert errors(response, "pdf") == ["This PDF is 2.0\xa0KB; the limit is 1.0\xa0KB."]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("map.bmp", image_bytes("BMP"), "Images must be JPEG, PNG, WebP or GIF; this one is BMP."),
        ("map.tiff", image_bytes("TIFF"), "Images must be JPEG, PNG, WebP or GIF; this one is TIFF."),
        (
            "map.png",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "valid image",
        ),
        ("map.png", b"GIF89a not really", "valid image"),
    ],
)
def test_images_must_be_a_web_photo_format(admin_app, piece, name, content, message):
    response = change_piece(admin_app, piece, image=Upload(name, content))
    assert response.status_code == 200
    assert any(message in error for error in errors(response, "image")), errors(response, "image")
    piece.refresh_from_db()
    assert not piece.image


def test_huge_images_are_refused_by_bytes_and_by_pixels(admin_app, piece, settings):
    settings.IMAGE_MAX_BYTES = 500
    response = change_piece(admin_app, piece, image=Upload("a.png", image_bytes(size=(400, 400))))
    assert any("the limit is 500\xa0bytes" in error for error in errors(response, "image"))
    settings.IMAGE_MAX_BYTES = 8 * 1024 * 1024
    settings.IMAGE_MAX_PIXELS = 1_000_000
    response = change_piece(admin_app, piece, image=Upload("a.png", image_bytes(size=(1200, 1000))))
    assert errors(response, "image") == [
        "This image is 1200 × 1000 pixels; the limit is 1 million pixels in all. "
        "Scale it down and upload it again."
    ]


def test_an_expert_photo_gets_the_same_checks(admin_app):
    person = PersonFactory()
    url = f"/admin/people/person/{person.pk}/change/"
    response = change(admin_app, url, "person_form", photo=Upload("me.bmp", image_bytes("BMP")))
    assert response.status_code == 200 and "this one is BMP" in response.text
    assert not Person.objects.get(pk=person.pk).photo


def test_saving_again_does_not_recheck_a_file_already_stored(admin_app, piece, settings):
    assert change_piece(admin_app, piece, pdf=Upload("report.pdf", PDF)).status_code == 302
    settings.PDF_MAX_BYTES = 1  # a stricter limit later does not block edits to the rest of the piece
    assert change_piece(admin_app, piece, title="Retitled").status_code == 302
    assert Publication.objects.get(pk=piece.pk).title == "Retitled"
