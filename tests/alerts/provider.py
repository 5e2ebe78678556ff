"""A mail provider's API for the tests: django-anymail's own test backend, answering for some
addresses as a provider does (Postmark, SES...): it rejects a suppressed address, or its API
fails with an error whose text names the address."""

from anymail.backends.test import EmailBackend
from anymail.exceptions import AnymailAPIError
from anymail.message import AnymailRecipientStatus


class Provider(EmailBackend):
    suppressed = set()  # addresses the provider rejects: a hard bounce or complaint earlier
    unavailable = set()  # addresses for which its API answers with an error, for now

    def post_to_esp(self, payload, message):
        emails = payload.recipient_emails
        if self.unavailable & set(emails):
            raise AnymailAPIError(f"422 Unprocessable: sending to {emails[0]} is paused for this account")
        response = super().post_to_esp(payload, message)
        for email in self.suppressed & set(emails):
            response["recipient_status"][email] = AnymailRecipientStatus(message_id=None, status="rejected")
        return response


def mailers():
    return {"default": {"BACKEND": "tests.alerts.provider.Provider"}}
