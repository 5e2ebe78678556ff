"""Security headers, login throttling, staff passwords, the admin address and production settings."""

import importlib
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import clear_url_caches

from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-test-password"


def policy(response):
    """Return the Content-Security-Policy as {directive: [values]}."""
    return {
        name: values
        for name, *values in (part.split() for part in response["Content-Security-Policy"].split(";"))
    }


class InlineCode(HTMLParser):
    """Collect inline scripts (other than JSON data blocks), style elements and style attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        if "style" in attrs:
            self.found.append(f"style= on <{tag}>")
        if any(name.startswith("on") for name in attrs):
            self.found.append(f"event handler on <{tag}>")


@pytest.mark.parametrize("path", ["/", "/policy-analysis/", "detail", "/search/?q=putin", "/feeds/atom/"])
def test_public_responses_carry_a_strict_policy_and_no_inline_code(client, path, page_cache):
    piece = PublicationFactory(title="Putin in Paris")
    path = piece.get_absolute_url() if path == "detail" else path
    for attempt in ("miss", "hit"):  # a page served from the cache gets the headers too
        response = client.get(path)
        assert response.status_code == 200 and response["X-Cache"] == attempt
        csp = policy(response)
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]  # no nonce needed
        assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if "html" in response["Content-Type"]:
        parser = InlineCode()
        parser.feed(response.text)
        assert parser.found == []


def test_admin_pages_get_a_fresh_nonce_for_their_inline_import_map(admin_client):
    first, second = (admin_client.get("/admin/publications/publication/add/") for _ in range(2))
    nonces = []
    for response in (first, second):
        (nonce,) = [v for v in policy(response)["script-src"] if v.startswith("'nonce-")]
        value = nonce.removeprefix("'nonce-").removesuffix("'")
        assert f'<script type="importmap" nonce="{value}">' in response.text
        nonces.append(value)
    assert nonces[0] != nonces[1]


# Login throttling --------------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("edith", password=PASSWORD, is_staff=True)


def sign_in(client, username, password, **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        headers=headers,
    )


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, editor):
    for _ in range(4):
        response = sign_in(client, "edith", "wrong guess")
        assert response.status_code == 200 and "Please enter the correct username" in response.text
    locked = sign_in(client, "edith", "wrong guess")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text and "15 minutes" in locked.text
    # The right password no longer gets in, from anywhere, until the cool-off ends.
    assert sign_in(client, "edith", PASSWORD, **{"X-Forwarded-For": "203.0.113.9"}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_address_guessing_many_accounts_is_locked_out(client, editor):
    for number in range(5):
        sign_in(client, f"someone-{number}", "guess")
    assert sign_in(client, "edith", PASSWORD).status_code == 429


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_lock(client, editor):
    for number in range(5):
        sign_in(client, f"someone-{number}", "guess", **{"X-Forwarded-For": f"198.51.100.{number}"})
    assert sign_in(client, "edith", PASSWORD, **{"X-Forwarded-For": "198.51.100.77"}).status_code == 429


def test_behind_a_trusted_proxy_the_client_address_comes_from_forwarded_for(client, editor, settings):
    settings.TRUSTED_PROXIES = 1
    for number in range(5):
        sign_in(client, f"someone-{number}", "guess", **{"X-Forwarded-For": "198.51.100.1"})
    # Another reader behind the same proxy is not locked out by someone else's guesses.
    response = sign_in(client, "edith", PASSWORD, **{"X-Forwarded-For": "198.51.100.2"})
    assert response.status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, editor):
    for _ in range(4):
        sign_in(client, "edith", "wrong guess")
    assert sign_in(client, "edith", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "edith", "wrong guess").status_code == 200
    assert sign_in(client, "edith", PASSWORD).status_code == 302


def test_signing_in_to_another_account_does_not_reset_a_guessed_ones_failures(client, editor):
    # From one address: wrong passwords for edith, a real sign-in to another account after every 4.
    get_user_model().objects.create_user("contributor", password=PASSWORD + "-c", is_staff=True)
    locked = False
    for attempt in range(1, 13):
        client.logout()
        locked = locked or sign_in(client, "edith", "wrong guess").status_code == 429
        if attempt % 4 == 0 and not locked:
            assert sign_in(client, "contributor", PASSWORD + "-c").status_code == 302
    assert locked
    client.logout()
    assert sign_in(client, "edith", PASSWORD).status_code == 429


def test_an_administrator_can_lift_a_lockout(client, editor):
    from django.core.management import call_command

    for _ in range(5):
        sign_in(client, "edith", "wrong guess")
    assert sign_in(client, "edith", PASSWORD).status_code == 429
    call_command("axes_reset_username", "edith")
    call_command("axes_reset_ip", "127.0.0.1")
    assert sign_in(client, "edith", PASSWORD).status_code == 302


# Staff passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, complaint",
    [
        ("Short-pw1", "at least 12 characters"),
        ("password1234", "too common"),
        ("639471205883", "entirely numeric"),
        ("edith-lovelace", "too similar"),
    ],
)
def test_weak_staff_passwords_are_refused_with_the_reason(admin_client, password, complaint):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "edith-lovelace",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert complaint in response.text
    assert not get_user_model().objects.filter(username="edith-lovelace").exists()


def test_a_long_uncommon_password_is_accepted(admin_client):
    password = "orchard-velvet-meridian-42"
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "edith", "usable_password": "true", "password1": password, "password2": password},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="edith").check_password(password)


# The admin's address -----------------------------------------------------------------------------


@pytest.fixture
def moved_admin(settings):
    import config.urls

    settings.ADMIN_URL = "office-7f3a/"
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.ADMIN_URL = "admin/"
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_admin_address_is_configurable_and_kept_out_of_robots_txt(client, moved_admin):
    assert client.get("/office-7f3a/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
    robots = client.get("/robots.txt").text
    assert "office-7f3a" not in robots and "Disallow:\n" in robots


# Production settings -----------------------------------------------------------------------------


def manage(*args, **env):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "MEDIA_S3"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.prod", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


PROD_ENV = {"DJANGO_SECRET_KEY": "x" * 60 + "-not-a-real-secret", "DJANGO_ALLOWED_HOSTS": "www.example.org"}


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {key: value for key, value in PROD_ENV.items() if key != missing}
    result = manage("check", **env)
    assert result.returncode != 0 and f"Set {missing}" in result.stderr


def test_production_cookies_are_secure_http_only_and_same_site():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_CSP['upgrade-insecure-requests'])"
    )
    result = manage("shell", "-v", "0", "-c", code, **PROD_ENV)
    assert result.stdout.split() == ["True", "True", "Lax", "True", "True", "Lax", "True", "True"]


def test_media_go_to_s3_compatible_storage_when_a_bucket_is_configured():
    from config.settings.storage import media_origin, media_storage

    assert media_storage({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    storage = media_storage(
        {
            "MEDIA_S3_BUCKET": "institute-media",
            "MEDIA_S3_ENDPOINT_URL": "https://minio.example.org:9000",
            "MEDIA_S3_CUSTOM_DOMAIN": "media.example.org",
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "institute-media"
    assert storage["OPTIONS"]["file_overwrite"] is False
    assert media_origin(storage) == "https://media.example.org"
    # The production settings pick it up, and the policy lets pages show images from there.
    code = (
        "from django.conf import settings as s; from django.core.files.storage import storages; "
        "d = storages['default']; "
        "print(type(d).__name__, d.bucket_name, ' '.join(s.SECURE_CSP['img-src']))"
    )
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        MEDIA_S3_BUCKET="institute-media",
        MEDIA_S3_CUSTOM_DOMAIN="media.example.org",
        **PROD_ENV,
    )
    assert result.stdout.split() == [
        "S3Storage",
        "institute-media",
        "'self'",
        "data:",
        "https://media.example.org",
    ]
