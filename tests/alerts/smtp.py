"""A real SMTP server on loopback for the alerts' tests (aiosmtpd), which keeps what it receives.

It can misbehave the ways a mail server does: ``refuse`` answers the next N messages with a
temporary (451) or permanent (554) error, ``refuse_recipients`` turns given addresses away at
RCPT TO, and ``hang`` holds every DATA without answering, so the client's timeout is what ends it.
"""

import asyncio
import logging
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

# aiosmtpd logs every command it gets, addresses included: the tests need none of it.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port():
    """Return a loopback port nothing listens on now (the system picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Handler:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []  # (recipients, email.message.EmailMessage)
        self.refusals = 0
        self.refuse_code = "451 4.3.0 Try again later"
        self.refused_recipients = set()
        self.hanging = False
        self.delay = 0  # seconds each accepted message takes, to watch a worker mid-chunk
        self.release = None  # an asyncio.Event set on the server's loop when stopping

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hanging:
            self.release = self.release or asyncio.Event()
            await self.release.wait()
            return "451 4.3.0 Gave up"
        with self.lock:
            if self.refusals > 0:
                self.refusals -= 1
                return self.refuse_code
            message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
            self.messages.append((list(envelope.rcpt_tos), message))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class SMTPServer:
    """``with SMTPServer() as server:`` listens on ``server.port`` until the block ends."""

    def __init__(self, port=None):
        self.handler = Handler()
        self.port = port or free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.hang(False)
        self.controller.stop()

    @property
    def messages(self):
        with self.handler.lock:
            return [message for _recipients, message in self.handler.messages]

    def recipients(self):
        """Return every recipient address once per message received for it."""
        with self.handler.lock:
            return [address for recipients, _message in self.handler.messages for address in recipients]

    def to(self, address):
        """Return the messages received for ``address``."""
        with self.handler.lock:
            return [message for recipients, message in self.handler.messages if address in recipients]

    def refuse(self, count, permanent=False):
        """Turn the next ``count`` messages away (451, or 554 when ``permanent``)."""
        with self.handler.lock:
            self.handler.refusals = count
            self.handler.refuse_code = "554 5.7.1 Rejected" if permanent else "451 4.3.0 Try again later"

    def refuse_recipients(self, *addresses):
        self.handler.refused_recipients = {address.lower() for address in addresses}

    def hang(self, on=True):
        """Hold every message without an answer (``on``), or answer again and let held ones go."""
        self.handler.hanging = on
        if not on and self.handler.release is not None:
            self.controller.loop.call_soon_threadsafe(self.handler.release.set)
            self.handler.release = None

    def mailers(self, timeout=2):
        """Return MAILERS sending through this server."""
        options = {"host": "127.0.0.1", "port": self.port, "timeout": timeout}
        return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}
