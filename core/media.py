"""Uploaded files, served only to whoever may see the piece they belong to.

A draft's PDF or image sits at a guessable address (``/media/publications/pdf/report.pdf``) long
before the piece is public: an embargoed report must not be readable there. So every file under
MEDIA_URL goes through :func:`serve_media`, which looks up what the file belongs to:

- a public piece's PDF or image, or a person's portrait: anyone, as before;
- a piece that is not public (draft, in review, scheduled, archived): staff who may preview that
  piece (its editors, and the contributor who wrote it), never cached on the way;
- no piece at all (a file an edit replaced, a stray upload): editors only.

Anyone else gets the plain 404 a missing file gets, so a guess does not learn the file exists.
The file itself is sent by the proxy when it is configured to (``X-Accel-Redirect`` for nginx,
``X-Sendfile`` for Apache or Caddy; see docs/operations.md), otherwise by Django.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from . import registry

# How long browsers and shared caches may keep a public file: an unpublish reaches them this late.
PUBLIC_MAX_AGE = 300


def media_audience(name, user):
    """Return "public", "staff" (this user may have it, nobody else) or None (not for this user).

    Each app says who may have the files it uploads under its folder (``registry.files_seen_by``);
    only that app is asked, so a public piece's PDF costs one query.
    """
    answers = set()
    for folder, resolver in registry.site.media_resolvers:
        if name.startswith(folder):  # only the app that uploads there is asked
            answers.add(resolver(name, user))
    if registry.PUBLIC in answers:
        return "public"
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if registry.STAFF in answers:
        return "staff"
    if answers <= {None}:  # no app claims the file
        check = registry.site.orphan_check
        return "staff" if check is not None and check(user) else None
    return None


def send_file(request, name):
    """Answer with the stored file ``name``, through the proxy when it is set up to send it."""
    try:
        path = safe_join(settings.MEDIA_ROOT, name)
    except SuspiciousFileOperation:  # a name reaching outside MEDIA_ROOT
        raise Http404 from None
    prefix, sendfile = settings.MEDIA_ACCEL_REDIRECT_PREFIX, settings.MEDIA_SENDFILE
    if prefix or sendfile:
        response = HttpResponse(content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
        if prefix:
            response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        else:
            response["X-Sendfile"] = path
        return response
    try:
        response = FileResponse(default_storage.open(name))
        response["Last-Modified"] = http_date(default_storage.get_modified_time(name).timestamp())
    except (OSError, SuspiciousFileOperation):
        raise Http404 from None
    return response


def serve_media(request, name):
    audience = media_audience(name, request.user)
    if audience is None:
        raise Http404("No such file.")
    response = send_file(request, name)
    if audience == "public":
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
