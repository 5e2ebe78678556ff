"""Gzip for what the app writes: pages, feeds, sitemaps, citations; never files already packed.

Django's GZipMiddleware pads every compressed response with random bytes (BREACH: the length of
a page no longer tells what a guessed secret in it matched). It stands below WhiteNoise, which
serves static files precompressed, and above the page cache, which keeps one plain copy for
every client: each reader gets it compressed, with padding of its own, or plain, as they asked.
"""

from django.middleware import gzip

# Already compressed: gzip would only add bytes, and a file would lose its length.
PACKED_TYPES = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/pdf",
    "application/zip",
    "application/gzip",
)


class GZipMiddleware(gzip.GZipMiddleware):
    """Django's, leaving out streamed files (uploads sent by the app) and packed formats."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if response.streaming or (content_type.startswith(PACKED_TYPES) and "svg" not in content_type):
            return response
        return super().process_response(request, response)
