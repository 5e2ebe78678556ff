"""What the admin's tests share: a piece's change page, and its form with changes typed in."""

from django.urls import reverse


def change_url(piece):
    return reverse("admin:publications_publication_change", args=[piece.pk])


def change_form(app, piece, **changes):
    """Open the piece's change form in ``app`` (a browser) and type ``changes`` into it."""
    form = app.get(change_url(piece)).forms["publication_form"]
    for name, value in changes.items():
        form[name] = value
    return form
