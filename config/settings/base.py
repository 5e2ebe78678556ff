"""Settings shared by every environment; deploy-specific values come from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import process_figure
from js_asset import static_lazy

from config.settings.mail import *  # noqa: F403
from config.settings.mail import TASKS_BACKEND, mailers, number, rq_queues, task_backends
from config.settings.storage import media_origin, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    """Return a comma-separated environment variable as a list of non-empty strings."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
# Ports a Host header may name besides 80 and 443 (any other is a 400). Absolute links use the
# Host header when SITE_URL is unset, so a forged port must not get into them. None: any port.
ALLOWED_HOST_PORTS = env_list("DJANGO_ALLOWED_PORTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "axes",
    "django_prose_editor",
    "django_tasks_db",
    "core",
    "people",
    "publications",
    "alerts",
]

MIDDLEWARE = [
    "core.logging.RequestLogMiddleware",
    "core.security.HostPortMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and feeds gzipped (core/compression.py: why here, between WhiteNoise and the page cache).
    "core.compression.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "core.cache.PublicPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the outcome of the admin's login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "core.context_processors.site",
            ],
        },
    },
]

# SQLite file by default (zero set-up); PostgreSQL in production and CI through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Only staff have accounts, and their accounts hold unpublished work: long, uncommon passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("fr", _("French")),
    ("he", _("Hebrew")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploads on disk are sent by Django after its check of who may have them (config/media.py); with a
# proxy in front, let it send them: the internal location for nginx's X-Accel-Redirect, or
# DJANGO_MEDIA_SENDFILE=true for X-Sendfile (Apache mod_xsendfile, Caddy, lighttpd).
MEDIA_ACCEL_REDIRECT_PREFIX = os.environ.get("DJANGO_MEDIA_ACCEL_PREFIX", "")
MEDIA_SENDFILE = os.environ.get("DJANGO_MEDIA_SENDFILE", "false") == "true"
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TAGGIT_CASE_INSENSITIVE = True
# The body editor's figure button opens the media library: an extension module of the editor's
# configurable preset replaces its bundled Figure (static/js/admin-media-library.js).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {"js": [static_lazy("js/admin-media-library.js")], "extensions": {"Figure": process_figure}},
]


def _expert_page(person):
    from django.urls import reverse

    return reverse("publications:expert", kwargs={"slug": person.slug})


# A person's page lists their pieces, so publications draws it; people knows nothing of that.
ABSOLUTE_URL_OVERRIDES = {"people.person": _expert_page}

# The institution the site publishes for; bio lines and feeds name it.
INSTITUTION_NAME = os.environ.get("INSTITUTION_NAME", "The Washington Institute")
INSTITUTION_FULL_NAME = os.environ.get(
    "INSTITUTION_FULL_NAME", "The Washington Institute for Near East Policy"
)
# How readers reach it: the footer, the contact page and every expert page show these. The
# defaults are placeholders for the demo (example.org addresses reach no one).
INSTITUTION_ADDRESS = os.environ.get("INSTITUTION_ADDRESS", "Washington, DC, United States")
INSTITUTION_EMAIL = os.environ.get("INSTITUTION_EMAIL", "info@example.org")
INSTITUTION_MEDIA_EMAIL = os.environ.get("INSTITUTION_MEDIA_EMAIL", "press@example.org")
INSTITUTION_PHONE = os.environ.get("INSTITUTION_PHONE", "")

# The public address of the site (e.g. https://www.example.org). Feed ids and canonical links
# use it, so they do not change with the Host a request came in on. Empty: taken from the request.
SITE_URL = os.environ.get("SITE_URL", "")

# Caching: one cache that every worker process and every app server shares, or an unpublish
# would reach only the worker that made it. Redis when REDIS_URL is set (fast; needed for pages to
# keep being served while the database is away); otherwise a table in the database itself
# (`migrate` creates it), which is right with any number of workers but costs a query per read.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Expired rows are deleted when there are more than this many (ended generations).
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DATABASE_CACHE_MAX_ENTRIES", "5000"))},
        }
    )
}
# How long a public page or feed may be served from the app's cache (0 turns it off). A change
# purges the copies that show it at once (core/purge.py), so this only bounds memory use.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# "keys": a change purges the pages showing what changed; "site": every change purges every page
# (the scheme before keys, kept to measure against: bench/edge.py).
PAGE_CACHE_INVALIDATION = os.environ.get("PAGE_CACHE_INVALIDATION", "keys")
# A change is purged once its transaction commits (before, a page rendered again would still
# read the old rows). Tests, which roll back instead of committing, purge at each write.
PAGE_PURGE_ON_COMMIT = True
# How far apart the app servers' clocks may be (NTP keeps them within milliseconds): a page whose
# rendering began this close to a purge of what it shows is rendered again.
PAGE_CACHE_CLOCK_SKEW = number("PAGE_CACHE_CLOCK_SKEW", 0.05, float)
# The edge (Varnish, ops/varnish/; or a CDN): public pages say how long it may keep them (they are
# purged when they change) and how long browsers may (no purge reaches them: by default they ask
# again each time, a 304 when nothing changed); stale copies are served while one is fetched again
# or while the app is down. 0 sends no such headers.
EDGE_CACHE_SECONDS = number("EDGE_CACHE_SECONDS", 86400)
EDGE_BROWSER_SECONDS = number("EDGE_BROWSER_SECONDS", 0)
EDGE_STALE_WHILE_REVALIDATE = number("EDGE_STALE_WHILE_REVALIDATE", 60)
EDGE_STALE_IF_ERROR = number("EDGE_STALE_IF_ERROR", 86400)
# Headers naming what a page shows: xkey (Varnish), Surrogate-Key (Fastly), Cache-Tag (Cloudflare).
EDGE_KEY_HEADERS = os.environ.get("EDGE_KEY_HEADERS", "xkey").replace(",", " ").split()
# The edges to tell of a change (each Varnish's address, as the app reaches it), space-separated.
EDGE_PURGE_URLS = os.environ.get("EDGE_PURGE_URLS", "").replace(",", " ").split()
EDGE_PURGE_TIMEOUT = number("EDGE_PURGE_TIMEOUT", 0.5, float)
EDGE_RETRY_MAX_SECONDS = number("EDGE_RETRY_MAX_SECONDS", 300)
EDGE_REPURGE_SECONDS = number("EDGE_REPURGE_SECONDS", 2)
# Besides the admin (never cached), paths the page cache leaves alone. /email/ (subscribing,
# confirming, preferences) is personal and reads parameters no public page does (?follow=).
PAGE_CACHE_SKIP_PREFIXES = ("/static/", "/media/", "/healthz", "/email/")
# Facet counts per filter set, kept until a piece joins or leaves a list (0 turns it off).
FACET_CACHE_SECONDS = int(os.environ.get("FACET_CACHE_SECONDS", "3600"))

# Background work and mail (config/settings/mail.py; docs/email.md).
TASKS = task_backends(TASKS_BACKEND, REDIS_URL)
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
RQ_QUEUES = rq_queues(REDIS_URL)
MAILERS = mailers(os.environ, BASE_DIR / "var" / "mail")

# Pieces per page on listings, and items in each feed.
PUBLICATIONS_PER_PAGE = 20
FEED_ITEMS = 50

# Demo content and a demo editor account (make run); never in production.
DEMO_CONTENT_ALLOWED = False

# The admin's address. Moving it off /admin/ keeps scripted login attempts away; robots.txt then
# does not name it either.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Staff sign in through the admin; a sign-in whose ?next= was refused (another site) lands there.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Reverse proxies in front of the app that append the client's address to X-Forwarded-For
# (0: the app is reached directly and X-Forwarded-For is not trusted).
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))

# Login throttling (django-axes): 5 failed logins lock the account name, and separately the
# address, for 15 minutes. Attempts are kept in the database, so every app server sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A sign-in clears that account's own failures from that address, not the address's failures
# against other accounts (see core.login.LoginAttemptHandler).
AXES_HANDLER = "core.login.LoginAttemptHandler"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_VERBOSE = False

# Content-Security-Policy (Django's own middleware). Public pages load only this site's scripts,
# styles and images; nothing inline runs anywhere. The admin's inline import map and styles carry
# a per-request nonce, which appears in the header only on responses that use it.
MEDIA_ORIGIN = media_origin(STORAGES["default"])
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features no page uses, switched off for the site and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Staff sessions end after 12 hours, or when the browser closes.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Uploads: the limits the admin's upload checks enforce (a proxy in front should allow a bit more).
PDF_MAX_BYTES = int(os.environ.get("PDF_MAX_MB", "25")) * 1024 * 1024
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_MB", "8")) * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000

# Logs: one JSON object per line on stderr (DJANGO_LOG_FORMAT=text for plain lines).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.logging.json_formatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"demote": {"()": "core.logging.DemoteFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # The request log already has a line per request; keep Django's for errors only.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Bad Host headers and oversized query strings: answered with a 400, logged as warnings.
        "django.security.DisallowedHost": {"filters": ["demote"]},
        "django.security.TooManyFieldsSent": {"filters": ["demote"]},
    },
}
