"""What a reader's browser does with the subscription pages: read a form out of a page, fill it in,
send it from this site, and follow the links of the mails."""

import re
from html.parser import HTMLParser

ORIGIN = "http://testserver"


class Forms(HTMLParser):
    """Every <form> of a page: its attributes and the fields a browser would send as they stand."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": {}, "labels": []})
        elif self.forms and tag in ("input", "button", "select", "textarea"):
            self.forms[-1]["labels"].append(attrs)
            kind = attrs.get("type", "text")
            if (
                tag == "input"
                and attrs.get("name")
                and (kind not in ("radio", "checkbox") or "checked" in attrs)
            ):
                self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")


def forms_of(html):
    parser = Forms()
    parser.feed(html)
    return parser.forms


def subscribe_form(html):
    """Return (action, fields) of the page's "Get these by email" form; fail if it has none."""
    found = [form for form in forms_of(html) if "subscribe" in form["attrs"].get("class", "").split()]
    assert len(found) == 1, f"expected one subscription form, found {len(found)}"
    return found[0]["attrs"]["action"], dict(found[0]["fields"])


def submit(client, action, fields, **extra):
    """POST a form as a browser on this site does (with its Origin header)."""
    return client.post(action, fields, **{"HTTP_ORIGIN": ORIGIN, **extra})


def links_in(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def parts(message):
    """Return (text, html) of a sent EmailMultiAlternatives (locmem outbox)."""
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return message.body, html
