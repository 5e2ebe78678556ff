"""The embedded default's mail: each message written as an .eml file a newcomer can open.

``make run`` without EMAIL_HOST puts them in ``var/mail/`` (EMAIL_FILE_PATH): one file per message,
named by the time and the subject, readable by any mail program (double-click it) or a text editor.
"""

import re
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.text import slugify

_lock = threading.Lock()
_count = 0


def file_name(message):
    global _count
    with _lock:
        _count += 1
        number = _count
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    subject = slugify(re.sub(r"\s+", " ", str(message.subject)))[:60] or "message"
    return f"{stamp}-{number:04d}-{subject}.eml"


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or settings.BASE_DIR / "var" / "mail")

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            path = self.folder / file_name(message)
            path.write_bytes(message.message().as_bytes())
            sent += 1
        return sent
