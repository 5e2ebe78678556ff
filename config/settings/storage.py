"""Where uploaded media (PDFs, images, photos) live: local disk, or S3-compatible storage."""

from urllib.parse import urlsplit


def media_storage(environ):
    """Return the STORAGES["default"] entry the environment asks for.

    Set ``MEDIA_S3_BUCKET`` to keep media in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2,
    Backblaze B2...) through django-storages; credentials come from the usual AWS variables
    (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``) or the instance role. Without it, media are
    files under MEDIA_ROOT.
    """
    bucket = environ.get("MEDIA_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "location": environ.get("MEDIA_S3_PREFIX", "media"),
        "file_overwrite": False,  # two uploads named report.pdf never replace each other
        "default_acl": None,  # the bucket's policy decides; objects are not made public one by one
        "querystring_auth": environ.get("MEDIA_S3_SIGNED_URLS", "false") == "true",
    }
    for option, variable in (
        ("endpoint_url", "MEDIA_S3_ENDPOINT_URL"),
        ("region_name", "MEDIA_S3_REGION"),
        ("custom_domain", "MEDIA_S3_CUSTOM_DOMAIN"),
    ):
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origin(storage):
    """Return the origin media are served from when it is not this site (for the CSP), or None."""
    options = storage.get("OPTIONS", {})
    if storage["BACKEND"].endswith("FileSystemStorage"):
        return None
    if options.get("custom_domain"):
        return f"https://{options['custom_domain']}"
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        return f"{parts.scheme}://{parts.netloc}"
    return "https://*.amazonaws.com"
