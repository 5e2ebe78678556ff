"""Background work (Django's tasks) and mail, from the environment. See docs/email.md."""

import os


def task_backends(kind, redis_url):
    """Return TASKS for ``kind``: "database" (the embedded default: a table, `manage.py db_worker`)
    or "rq" (production: Redis, `manage.py rqworker --with-scheduler --job-class django_tasks_rq.Job`)."""
    if kind == "rq":
        if not redis_url:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (the queue lives in Redis).")
        return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    if kind == "immediate":  # in the request, no worker: for a one-off script, never for a site
        return {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def rq_queues(redis_url):
    return {"default": {"URL": redis_url or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}


def mailers(environ, default_folder):
    """Return MAILERS (Django 6.1): a provider through django-anymail when EMAIL_PROVIDER names one
    (``amazon_ses``, ``postmark``, ``mailgun``...); SMTP when EMAIL_HOST is set; else each mail as
    an .eml file in EMAIL_FILE_PATH (``var/mail/``), which is what ``make run`` does."""
    provider, host = environ.get("EMAIL_PROVIDER", ""), environ.get("EMAIL_HOST", "")
    if provider:
        return {"default": {"BACKEND": f"anymail.backends.{provider}.EmailBackend"}}
    if host:
        options = {
            "host": host,
            "port": int(environ.get("EMAIL_PORT", "25")),
            "username": environ.get("EMAIL_HOST_USER", ""),
            "password": environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": environ.get("EMAIL_USE_TLS", "").lower() in ("1", "true", "yes", "on"),
            "timeout": int(environ.get("EMAIL_TIMEOUT", "20")),
        }
        return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}
    folder = environ.get("EMAIL_FILE_PATH", str(default_folder))
    return {"default": {"BACKEND": "alerts.mailfiles.EmlFileBackend", "OPTIONS": {"file_path": folder}}}


def number(name, default, kind=int):
    """Return the environment's ``name`` as a number, ``default`` when unset; a value that is
    not a number stops the start with a message naming it."""
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Policy Analysis <alerts@example.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# django-anymail reads its provider's keys from here (see docs/email.md), e.g. ANYMAIL_POSTMARK_SERVER_TOKEN.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")
}

# Subscriptions: how long a confirmation link works, and how many requests an address or a
# client may make in an hour (more are told to wait; nothing is sent).
ALERTS_CONFIRM_HOURS = number("ALERTS_CONFIRM_HOURS", 72)
ALERTS_RATE_PER_ADDRESS = number("ALERTS_RATE_PER_ADDRESS", 5)
ALERTS_RATE_PER_CLIENT = number("ALERTS_RATE_PER_CLIENT", 30)
# Subscriptions mailed per task in a piece's fan-out, and the attempts a mail gets (with backoff).
ALERTS_CHUNK = number("ALERTS_CHUNK", 500)
ALERTS_MAX_ATTEMPTS = number("ALERTS_MAX_ATTEMPTS", 5)
# Weekly digests go out on this weekday (0 is Monday) at this hour, in TIME_ZONE.
ALERTS_DIGEST_WEEKDAY = number("ALERTS_DIGEST_WEEKDAY", 0)
ALERTS_DIGEST_HOUR = number("ALERTS_DIGEST_HOUR", 7)
# A piece is news for this many days after its publish time: republishing an old piece mails nobody.
ALERTS_NEWS_DAYS = number("ALERTS_NEWS_DAYS", 3)
# A refused or timed-out mail is tried again after this many seconds, doubled at each attempt,
# never more than ALERTS_RETRY_MAX_SECONDS apart.
ALERTS_RETRY_SECONDS = number("ALERTS_RETRY_SECONDS", 60, float)
ALERTS_RETRY_MAX_SECONDS = number("ALERTS_RETRY_MAX_SECONDS", 3600, float)
# A mail "being sent" for longer than this was on a worker that died: it goes back in line.
# Keep it well above the SMTP timeout (EMAIL_TIMEOUT).
ALERTS_STALE_SECONDS = number("ALERTS_STALE_SECONDS", 300, float)
# How often a piece's fan-out is checked on (and resumed if a worker died) until it is done.
ALERTS_WATCH_SECONDS = number("ALERTS_WATCH_SECONDS", 300, float)
