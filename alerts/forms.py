"""The subscription form: an address, what it follows, and how often."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from . import selections
from .models import Selection, Subscription

# Anything that could end a mail header and start another (CR, LF) or is no part of an address.
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
MAX_ADDRESS = 254


class AddressField(forms.EmailField):
    """An email address, refused outright when it carries a line break (``a@b.c\\r\\nBcc: x@y.z``)
    rather than left for the generic check to call "not valid"."""

    default_error_messages = {
        "invalid": _("Enter an email address like name@example.org."),
        "required": _("Enter your email address."),
    }

    def to_python(self, value):
        if value and CONTROL.search(str(value).strip()):
            raise ValidationError(
                _("An email address cannot contain line breaks or other control characters."),
                code="control",
            )
        value = super().to_python(value)
        if len(value) > MAX_ADDRESS:
            raise ValidationError(
                _("An email address can be at most %(max)d characters long."),
                code="max_length",
                params={"max": MAX_ADDRESS},
            )
        return value.lower()


class SubscribeForm(forms.Form):
    email = AddressField(label=_("Email address"), max_length=None)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.INSTANT,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how often to get mail."),
            "invalid_choice": _("Choose how often to get mail."),
        },
    )
    follow = forms.CharField(required=False, strip=True, widget=forms.HiddenInput)

    def clean_follow(self):
        """Return the canonical query of what is followed (the page's filters, checked again)."""
        raw = self.cleaned_data.get("follow", "")
        if len(raw) > 2000:
            raise ValidationError(_("There are too many filters here to follow by email."), code="long")
        query = selections.canonical(QueryDict(raw))
        if len(query) > Selection._meta.get_field("query").max_length:
            raise ValidationError(_("There are too many filters here to follow by email."), code="long")
        return query


class ManageForm(forms.Form):
    """One change on the preference page: a subscription's frequency, removing one or all, or
    deleting the address."""

    FREQUENCY, REMOVE, REMOVE_ALL, DELETE = "frequency", "remove", "remove-all", "delete"

    action = forms.ChoiceField(choices=[(name, name) for name in (FREQUENCY, REMOVE, REMOVE_ALL, DELETE)])
    subscription = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    frequency = forms.ChoiceField(required=False, choices=Subscription.Frequency.choices)

    def __init__(self, data, *, subscriber):
        super().__init__(data)
        self.subscriber = subscriber

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action in (self.FREQUENCY, self.REMOVE):
            pk = cleaned.get("subscription")
            found = (
                self.subscriber.subscriptions.select_related("selection").filter(pk=pk).first()
                if pk
                else None
            )
            if found is None:
                raise ValidationError(_("That subscription is no longer there."), code="gone")
            cleaned["subscription"] = found
        if action == self.FREQUENCY and not cleaned.get("frequency"):
            raise ValidationError(_("Choose how often to get mail."), code="frequency")
        return cleaned
