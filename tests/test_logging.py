"""Structured request logs: one JSON line per request that an operator can search and join."""

import json
import logging

import pytest

from core.logging import json_formatter
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="publications.request")

    def lines():
        formatter = json_formatter()
        return [
            json.loads(formatter.format(record))
            for record in caplog.records
            if record.name == "publications.request"
        ]

    return lines


def test_every_request_is_one_json_line_with_what_an_operator_needs(client, request_lines, page_cache):
    piece = PublicationFactory()
    client.get(piece.get_absolute_url(), headers={"User-Agent": "FeedReader/2.0"})
    client.get(piece.get_absolute_url())
    client.get("/search/", {"q": "putin"})
    first, second, third = request_lines()
    assert first["message"] == f"GET {piece.get_absolute_url()} 200"
    assert first["level"] == "INFO" and first["status"] == 200 and first["method"] == "GET"
    assert first["cache"] == "miss" and second["cache"] == "hit" and third["query"] == "q=putin"
    assert first["duration_ms"] >= 0 and first["bytes"] > 1000
    assert first["user_agent"] == "FeedReader/2.0" and first["client_ip"] == "127.0.0.1"
    assert first["user_id"] is None and len(first["request_id"]) == 32
    assert first["time"].endswith("+00:00")


def test_the_request_id_is_returned_and_a_proxys_id_is_kept(client, request_lines):
    response = client.get("/", headers={"X-Request-ID": "edge-4f1c2a9b"})
    assert response["X-Request-ID"] == "edge-4f1c2a9b"
    forged = client.get("/", headers={"X-Request-ID": '"><script>'})
    assert forged["X-Request-ID"] != '"><script>' and len(forged["X-Request-ID"]) == 32
    assert [line["request_id"] for line in request_lines()] == ["edge-4f1c2a9b", forged["X-Request-ID"]]


def test_errors_and_lockouts_are_logged_at_a_level_that_alerts(client, request_lines):
    client.get("/policy-analysis/no-such-piece/")
    for _ in range(5):
        client.post("/admin/login/", {"username": "nobody", "password": "guess-guess-guess"})
    levels = [(line["status"], line["level"]) for line in request_lines()]
    assert levels[0] == (404, "INFO") and levels[-1] == (429, "WARNING")


def test_staff_requests_name_the_user_but_never_log_what_was_posted(admin_client, admin_user, request_lines):
    admin_client.post("/admin/login/", {"username": "admin", "password": "a-secret-password"})
    admin_client.get("/admin/")
    lines = request_lines()
    assert lines[-1]["user_id"] == admin_user.pk
    assert all("a-secret-password" not in json.dumps(line) for line in lines)


def test_no_address_or_signed_token_is_logged(admin_client, client, request_lines):
    from django.core import signing

    token = signing.dumps([12, "a-subscribers-secret"], salt="alerts.manage", compress=True)
    client.get(f"/email/manage/{token}/")
    admin_client.get("/admin/alerts/subscriber/", {"q": "bob.smith@example.org"})
    client.get("/search/", {"q": "write to jane@example.org"})
    admin_client.get("/admin/alerts/subscriber/", {"q": "jones@"})
    admin_client.get("/admin/alerts/subscriber/", {"q": "@institute.example"})

    logged = json.dumps(request_lines())
    assert token not in logged and token.split(":")[-1] not in logged
    assert "bob.smith" not in logged and "jane@" not in logged and "example.org" not in logged
    assert "jones" not in logged and "institute.example" not in logged
    paths = [line["path"] for line in request_lines()]
    assert "/email/manage/<token>/" in paths and "/admin/alerts/subscriber/" in paths
    assert [line["query"] for line in request_lines()][-3] == "q=<address>"  # more goes than less
