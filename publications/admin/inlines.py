"""The byline on a piece's form: one row an author, with the bio line publication would draft."""

from django import forms
from django.contrib import admin
from django.utils.functional import cached_property

from ..models import Authorship


def read_ahead(field, rows):
    """Let a choice field clean its value from ``rows`` already read (by pk), not one query a form."""
    fallback = field.to_python

    def to_python(value):
        try:
            return rows[int(value)]
        except (KeyError, TypeError, ValueError):
            return fallback(value)

    field.to_python = to_python


class AuthorshipForm(forms.ModelForm):
    """A byline row. Nothing is checked against the database row by row: the formset checks the
    rows against each other, and the save service writes the byline as a whole."""

    def validate_unique(self):
        pass

    def validate_constraints(self):
        pass


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    form = AuthorshipForm
    extra = 1
    fields = ("position", "person", "bio_line")
    autocomplete_fields = ("person",)
    ordering = ("position", "pk")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        day = obj.publish_date if obj else None

        class SuggestingFormSet(formset):
            """Show, in an empty bio line, the line that publication would draft.

            A sent byline is read in two queries, its rows and its people, whatever its length.
            """

            def add_fields(self, form, index):
                super().add_fields(form, index)
                if self.is_bound:
                    read_ahead(form.fields[self._pk_field.name], self._rows)
                    read_ahead(form.fields["person"], self._people)
                authorship = form.instance
                if authorship.pk and not authorship.bio_line:
                    suggestion = authorship.person.bio_line_on(day)
                    form.fields["bio_line"].widget.attrs["placeholder"] = suggestion

            @cached_property
            def _rows(self):
                return {row.pk: row for row in self.get_queryset()}

            @cached_property
            def _people(self):
                field = self.form.base_fields["person"]
                sent = (
                    self.data.get(f"{self.prefix}-{i}-person", "") for i in range(self.total_form_count())
                )
                return field.queryset.in_bulk([int(v) for v in sent if v.isdigit()])

        return SuggestingFormSet
