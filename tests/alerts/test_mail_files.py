"""The embedded default's mail: one .eml file per message that any mail program opens, with the
one-click unsubscribe header whole (not folded into encoded-words, which mail programs ignore)."""

import email
import email.policy

import pytest

from alerts.mail import compose
from alerts.mailfiles import EmlFileBackend


def context(label):
    return {
        "label": label,
        "hours": 72,
        "confirm_url": "http://127.0.0.1:8000/email/confirm/x/",
        "page_url": "/",
    }


LINK = "http://127.0.0.1:8000/email/unsubscribe/" + "a1B2c3D4e5" * 9 + "/"


def test_each_mail_is_an_eml_file_with_the_unsubscribe_header_whole(tmp_path):
    mails = [
        compose("alerts/email/confirm", context(f"Analysis on Syria {n}"), to=f"r{n}@example.org")
        for n in range(2)
    ]
    mails[0].extra_headers.update(
        {"List-Unsubscribe": f"<{LINK}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    )

    assert EmlFileBackend(file_path=tmp_path).send_messages(mails) == 2

    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    raw = files[0].read_bytes()
    assert f"List-Unsubscribe: <{LINK}>".encode() in raw
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == "r0@example.org"
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None


def test_a_composed_mail_keeps_the_header_whole_for_any_backend():
    mail = compose("alerts/email/confirm", context("Syria"), to="r@example.org", unsubscribe=LINK)
    for policy in (email.policy.default, email.policy.SMTP):
        raw = mail.message(policy=policy).as_bytes()
        assert f"List-Unsubscribe: <{LINK}>".encode() in raw
        assert b"=?utf-8?" not in raw.split(b"List-Unsubscribe:")[1].split(b"\n")[0]


def test_a_mail_setting_that_is_not_a_number_stops_the_start_with_its_name(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.settings.mail import number

    monkeypatch.setenv("ALERTS_CHUNK", "five hundred")
    with pytest.raises(ImproperlyConfigured, match="ALERTS_CHUNK must be a number, not 'five hundred'"):
        number("ALERTS_CHUNK", 500)
    monkeypatch.setenv("ALERTS_CHUNK", "250")
    assert number("ALERTS_CHUNK", 500) == 250
    monkeypatch.delenv("ALERTS_CHUNK")
    assert number("ALERTS_CHUNK", 500) == 500
