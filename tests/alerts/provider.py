"""A mail provider's API for the tests: django-anymail's own test backend, answering for some
addresses as a provider does (Postmark, SES...): it rejects a suppressed address, or its API
fails with an error whose text names the address."""

import requests
from anymail.backends.test import EmailBackend
from anymail.exceptions import AnymailAPIError
from anymail.message import AnymailRecipientStatus


class Provider(EmailBackend):
    suppressed = set()  # addresses the provider rejects: a hard bounce or complaint earlier
    unavailable = set()  # addresses for which its API answers with an error, for now
    down = False  # its API answers 503 to everything

    def post_to_esp(self, payload, message):
        emails = payload.recipient_emails
        if self.down:
            raise self.error(503, "Service Unavailable", "The service is down for maintenance.")
        if self.unavailable & set(emails):
            raise self.error(
                422, "Unprocessable Entity", f"Sending to {emails[0]} is paused for this account."
            )
        response = super().post_to_esp(payload, message)
        for email in self.suppressed & set(emails):
            response["recipient_status"][email] = AnymailRecipientStatus(message_id=None, status="rejected")
        return response

    def error(self, status, reason, text):
        """The error anymail raises for an HTTP answer, with the answer as the API gave it."""
        answer = requests.Response()
        answer.status_code, answer.reason, answer._content = status, reason, text.encode()
        return AnymailAPIError(f"{self.esp_name} API response {status}", response=answer, status_code=status)


def mailers():
    return {"default": {"BACKEND": "tests.alerts.provider.Provider"}}
