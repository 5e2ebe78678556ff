"""The edit check: change a piece's title in server A's admin, time until server B serves it."""

import html
import http.cookiejar
import re
import secrets
import time
import urllib.parse
import urllib.request

from bench.harness.http import NoRedirect, fetch

from .forms import form_data

EDITOR = ("editor", "policy-analysis-demo")  # created by load_demo (dev settings only)
WAIT_FOR_B = 10.0  # seconds of polling B before the edit counts as never seen


def error_text(page):
    """Return the admin's error notes on ``page`` as one line (for a refused form)."""
    found = re.findall(r'class="(?:errornote|errorlist[^"]*)"[^>]*>(.*?)</(?:p|ul)>', page, re.S)
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", html.unescape(f)).strip() for f in found)[:500]


class AdminSession:
    """A browser behind the TLS proxy: cookies (Secure ones too), CSRF token, Referer and Origin."""

    def __init__(self, base, admin_path):
        self.base, self.admin_path = base, admin_path
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.jar = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def headers(self, path):
        origin = "https://" + urllib.parse.urlsplit(self.base).netloc
        return {"X-Forwarded-Proto": "https", "Referer": origin + path, "Origin": origin}

    def get(self, path):
        return fetch(self.base + path, self.opener, headers=self.headers(path))

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        headers = {**self.headers(path), "Content-Type": "application/x-www-form-urlencoded"}
        return fetch(self.base + path, self.opener, data=data, headers=headers)

    def submit(self, path, what, **overrides):
        """GET the form at ``path``, POST it back with ``overrides``; raise unless it redirects."""
        status, _, page = self.get(path)
        if status != 200:
            raise RuntimeError(f"{what}: the form answered {status}")
        status, _, page = self.post(path, form_data(page, **overrides))
        if status != 302:
            raise RuntimeError(f"{what} refused ({status}): {error_text(page) or page[:300]}")

    def login(self, username, password):
        path = f"{self.admin_path}login/?next={self.admin_path}"
        self.submit(path, "admin login", username=username, password=password)

    def change_title(self, change_path, new_title):
        self.submit(change_path, "the edit", title=new_title, _save="Save")


def warm(page_b, title):
    """Load B's copy of the page twice (the second is cached); return what B served."""
    fetch(page_b)
    status, headers, body = fetch(page_b)
    return {
        "status": status,
        "x_cache": headers.get("X-Cache"),
        "old_title_shown": html.escape(title) in body,
    }


def wait_for(page_b, marker, since):
    """Poll B until it serves ``marker``; return (seen at or None, X-Cache then, requests made)."""
    attempts = 0
    while time.time() - since < WAIT_FOR_B:
        attempts += 1
        status, headers, body = fetch(page_b)
        if status == 200 and marker in body:
            return time.time(), headers.get("X-Cache"), attempts
        time.sleep(0.01)
    return None, None, attempts


def seconds_between(start, end):
    return round(end - start, 3) if end is not None else None


def edit_through_a_seen_on_b(server_a, server_b, pages):
    """Change the piece's title through A's admin, time it on B, put the title back."""
    piece = pages["piece"]
    marker = f"fault check {secrets.token_hex(4)}"
    page_b = server_b.base + piece["url"]
    warmed = warm(page_b, piece["title"])
    session = AdminSession(server_a.base, pages["admin"])
    session.login(*EDITOR)
    posted = time.time()
    try:
        session.change_title(piece["change"], f"{piece['title']} ({marker})")
        saved = time.time()
        seen, x_cache, attempts = wait_for(page_b, marker, saved)
    finally:
        session.change_title(piece["change"], piece["title"])  # put the title back
    status, _, body = fetch(page_b)
    return {
        "piece": piece["url"],
        "warm_on_b": warmed,
        "admin_post_s": round(saved - posted, 3),
        "visible_on_b_after_post_start_s": seconds_between(posted, seen),
        "visible_on_b_after_s": seconds_between(saved, seen),
        "b_x_cache_when_seen": x_cache,
        "b_requests_until_seen": attempts,
        "title_restored_on_b": status == 200 and marker not in body,
    }
