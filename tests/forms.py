"""Read a rendered HTML form back into the POST data a browser would send."""

from html.parser import HTMLParser


class _FormScraper(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image"):
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append(tuple(self._textarea))
            self._textarea = None


def form_data(html, **overrides):
    """Return a dict of lists (for client.post) of every field of the page's forms, then overrides."""
    scraper = _FormScraper()
    scraper.feed(html)
    data = {}
    for name, value in scraper.data:
        data.setdefault(name, []).append(value)
    for name, value in overrides.items():
        data[name] = value if isinstance(value, list) else [value]
    data.pop("action", None)  # the changelist's bulk-action select, if present
    return data
