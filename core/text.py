"""Text hygiene shared by every app's models."""

import re

from django.db import models

# Characters XML 1.0 forbids (and HTML renders as garbage); Word pastes some of them.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Anything with an @ in it (or its %40), even a part of an address: "bob@", "@example.org".
ADDRESS = re.compile(r"[^\s/&?=<>\"'(),;:\[\]]*(?:@|%40)[^\s/&?=<>\"'(),;:\[\]]*", re.IGNORECASE)


def strip_control_characters(value):
    return XML_ILLEGAL.sub("", value)


def without_addresses(text, mark="<address>"):
    """Return ``text`` (a mail server's answer, a logged path or query) with every email address
    in it, whole or in part, replaced by ``mark``: addresses are personal data."""
    return ADDRESS.sub(mark, text or "")


class CleanTextMixin:
    """Strip control characters from every text field on save, so no page or feed breaks."""

    def clean_text(self):
        """Strip the control characters; a bulk write, which skips save(), calls this itself."""
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, strip_control_characters(value))

    def save(self, *args, **kwargs):
        self.clean_text()
        super().save(*args, **kwargs)
