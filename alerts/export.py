"""The subscriber list as CSV, for administrators only (alerts/admin.py): every subscription of
every address, streamed, with cells a spreadsheet shows as text."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone

from .models import Subscription


class Echo:
    def write(self, value):
        return value


def cell(value):
    """Return a CSV cell a spreadsheet shows as text: a leading = + - @ would start a formula."""
    if value is None:
        return ""
    value = timezone.localtime(value).isoformat() if hasattr(value, "tzinfo") else str(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_rows(subscribers):
    yield ["email", "selection", "page", "frequency", "subscribed", "confirmed", "failed"]
    subscriptions = (
        Subscription.objects.filter(subscriber__in=subscribers.values("pk"))
        .select_related("subscriber", "selection")
        .order_by("subscriber__email", "pk")
    )
    for row in subscriptions.iterator(chunk_size=2000):
        yield [
            cell(value)
            for value in (
                row.subscriber.email,
                row.selection.label,
                row.selection.page,
                row.frequency,
                row.created_at,
                row.confirmed_at,
                row.subscriber.failed_at,
            )
        ]
    for subscriber in subscribers.filter(subscriptions=None).order_by("email").iterator(chunk_size=2000):
        yield [cell(subscriber.email), "", "", "", "", "", cell(subscriber.failed_at)]


def export_csv(subscribers):
    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in export_rows(subscribers)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
