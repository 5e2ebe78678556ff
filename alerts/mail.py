"""Every mail the site sends, composed one way: an HTML part in the site's design with its CSS
inlined (mail programs drop <style> blocks), a plain-text part, and safe headers.

``compose("alerts/email/alert", context, to=address, unsubscribe=url)`` renders
``alerts/email/alert.html`` and ``alerts/email/alert.txt`` (both extend the ``base`` pair),
inlines ``alerts/email/email.css`` into the HTML, and returns an EmailMultiAlternatives ready to
send. With ``unsubscribe`` it carries RFC 8058's headers, so mail programs show their own
"Unsubscribe" and providers that require one-click unsubscription from bulk senders accept it:

    List-Unsubscribe: <https://example.org/email/unsubscribe/…/>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click

No tracking pixel, no rewritten links: every link is the site's own address.
"""

import email.policy
import re
from functools import cache
from pathlib import Path

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

CSS = Path(__file__).parent / "templates" / "alerts" / "email" / "email.css"
BLANK_LINES = re.compile(r"\n{3,}")


@cache
def inliner():
    return css_inline.CSSInliner(extra_css=CSS.read_text(), load_remote_stylesheets=False)


def one_line(value):
    """Return a header value on one line: a CR or LF in a subject would start a new header."""
    return re.sub(r"[\r\n\t]+", " ", str(value)).strip()


class OneLineListHeaders(email.policy.EmailPolicy):
    """The email package's policy, but List-Unsubscribe on one line, as RFC 2369 writes it: the
    package would fold a long link into RFC 2047 encoded-words, which mail programs do not read
    in that header (lines stay far below SMTP's 998). Everything else is folded as usual."""

    def _fold(self, name, value, refold_binary=False):
        if name.lower() == "list-unsubscribe" and str(value).isascii() and len(str(value)) < 900:
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, refold_binary=refold_binary)

    @classmethod
    def like(cls, policy):
        """Return this policy with every setting of ``policy`` (what ``clone`` copies)."""
        mine = cls()
        for name, value in policy.__dict__.items():
            object.__setattr__(mine, name, value)
        return mine


class Mail(EmailMultiAlternatives):
    """A mail whose List-Unsubscribe header every backend gets whole (SMTP, files, providers)."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=OneLineListHeaders.like(policy))


def compose(template, context, *, to, unsubscribe=None, reply_to=None):
    """Return the mail of ``template`` (.html and .txt) to one address."""
    context = {
        "institution_name": settings.INSTITUTION_NAME,
        "institution_full_name": settings.INSTITUTION_FULL_NAME,
        "institution_address": settings.INSTITUTION_ADDRESS,
        "unsubscribe_url": unsubscribe,
        **context,
    }
    subject = one_line(render_to_string(f"{template}.subject.txt", context))
    text = BLANK_LINES.sub("\n\n", render_to_string(f"{template}.txt", context)).strip() + "\n"
    html = inliner().inline(render_to_string(f"{template}.html", context))
    headers = {}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = Mail(
        subject=subject[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
        reply_to=reply_to,
    )
    message.attach_alternative(html, "text/html")
    return message
