"""Read an HTML page's form fields back into the POST data a browser would send (html.parser)."""

from html.parser import HTMLParser

SKIPPED_INPUTS = ("submit", "button", "file", "image", "reset")


class FormFields(HTMLParser):
    """Collects (name, value) of every enabled field: inputs, checked boxes, selected options, text areas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = []
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif not name or "disabled" in attrs:
            return
        elif tag == "input":
            self.input(name, attrs)
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.textarea = [name, ""]

    def input(self, name, attrs):
        kind = attrs.get("type", "text")
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self.fields.append((name, attrs.get("value", "on")))
        elif kind not in SKIPPED_INPUTS:
            self.fields.append((name, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None


def form_data(page, **overrides):
    """Return {name: [values]} of the page's form fields, with ``overrides`` replacing fields."""
    reader = FormFields()
    reader.feed(page)
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    for name, value in overrides.items():
        data[name] = value if isinstance(value, list) else [value]
    data.pop("action", None)  # a changelist's bulk-action select, if there is one
    return data
