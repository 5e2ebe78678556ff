"""The edge cache: a real Varnish with ops/varnish/site.vcl in front of the app, as `make edge` runs it.

Pages come from Varnish; a change reaches readers through it at once, and purges only the pages
that show what changed. Skipped without varnishd, except in CI (REQUIRE_EDGE), which installs it.
"""

import datetime
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import PersonFactory, PublicationFactory

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("purge_on_commit"),
    pytest.mark.skipif(
        not shutil.which("varnishd") and not os.environ.get("REQUIRE_EDGE"),
        reason="varnishd is not installed (apt-get install varnish varnish-modules)",
    ),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Edge:
    def __init__(self, port):
        self.url = f"http://127.0.0.1:{port}"

    def get(self, path, headers=None):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def edge(live_server, settings):
    # Varnish's compiler runs as its own user: its directory must be readable by it.
    workdir = Path(tempfile.mkdtemp(prefix="edge-", dir="/tmp"))
    workdir.chmod(0o755)
    port = free_port()
    backend = live_server.url.removeprefix("http://").replace("localhost", "127.0.0.1")
    environment = {**os.environ, "EDGE_PORT": str(port), "EDGE_BACKEND": backend, "EDGE_DIR": str(workdir)}
    process = subprocess.Popen(
        [ROOT / "ops" / "varnish" / "start.sh"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    edge = Edge(port)
    settings.EDGE_PURGE_URLS = [edge.url + "/"]
    try:
        for _ in range(100):  # up, and the app's health probe answered
            try:
                if edge.get("/healthz")[0] == 200 and edge.get("/robots.txt")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise AssertionError(
                process.stdout.read1().decode() if process.poll() is not None else "no answer"
            )
        yield edge
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


def test_pages_come_from_the_edge_and_a_typo_fixed_shows_at_once_and_purges_nothing_else(edge):
    author = PersonFactory(name="Dana Stroul")
    piece = PublicationFactory(title="Before the fix", authors=[author])
    other = PublicationFactory(title="Another piece")
    for path in (piece.get_absolute_url(), other.get_absolute_url(), "/policy-analysis/", "/feeds/rss/"):
        assert edge.get(path)[1]["X-Cache"] == "MISS"
        status, headers, _ = edge.get(path)
        assert status == 200 and headers["X-Cache"] == "HIT" and "xkey" not in headers
    piece.title = "After the fix"
    piece.save()
    status, headers, body = edge.get(piece.get_absolute_url())
    assert "After the fix" in body and headers["X-Cache"] == "MISS"
    assert "After the fix" in edge.get("/policy-analysis/")[2]  # it is listed there
    assert "After the fix" in edge.get("/feeds/rss/")[2]
    assert edge.get(other.get_absolute_url())[1]["X-Cache"] == "HIT"  # it does not show the piece


def test_a_piece_going_public_or_private_shows_in_its_lists_at_once(edge):
    PublicationFactory(title="Already out")
    draft = PublicationFactory(title="Not yet out", status="draft", publish_at=None)
    assert "Not yet out" not in edge.get("/policy-analysis/")[2]
    assert edge.get("/policy-analysis/")[1]["X-Cache"] == "HIT"
    assert edge.get(draft.get_absolute_url())[0] == 404
    draft.status = "published"
    draft.publish_at = timezone.now() - datetime.timedelta(minutes=1)
    draft.save()
    assert "Not yet out" in edge.get("/policy-analysis/")[2]
    assert edge.get(draft.get_absolute_url())[0] == 200
    draft.status = "draft"
    draft.save()
    assert "Not yet out" not in edge.get("/policy-analysis/")[2]
    assert edge.get(draft.get_absolute_url())[0] == 404


def test_campaign_tags_share_one_copy_and_unread_parameters_are_redirected_uncached(edge):
    PublicationFactory()
    edge.get("/policy-analysis/")
    assert edge.get("/policy-analysis/?utm_source=tv&utm_medium=x")[1]["X-Cache"] == "HIT"
    assert edge.get("/policy-analysis/?fbclid=abc")[1]["X-Cache"] == "HIT"
    request = urllib.request.Request(edge.url + "/policy-analysis/?cachebuster=1")
    opener = urllib.request.build_opener(NoRedirect)
    for _ in range(2):
        with pytest.raises(urllib.error.HTTPError) as moved:
            opener.open(request, timeout=10)
        assert moved.value.code == 301 and moved.value.headers["Location"] == "/policy-analysis/"
        assert moved.value.headers["X-Cache"] == "MISS"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_staff_forms_and_errors_are_never_kept(edge):
    PublicationFactory()
    for _ in range(2):
        assert edge.get("/admin/login/")[1]["X-Cache"] == "MISS"  # sets a CSRF cookie
        assert edge.get("/policy-analysis/no-such-piece/")[1]["X-Cache"] == "MISS"
    edge.get("/policy-analysis/")
    staff = edge.get("/policy-analysis/", {"Cookie": "sessionid=abc"})
    assert staff[1]["X-Cache"] == "MISS"  # a session: passed to the app, which decides


def test_a_purge_from_anywhere_but_the_app_is_refused(edge):
    def purge_from(address):
        with socket.create_connection(
            ("127.0.0.1", int(edge.url.rsplit(":", 1)[1])), source_address=(address, 0)
        ) as sock:
            sock.sendall(b"PURGE / HTTP/1.1\r\nHost: x\r\nxkey-purge: all\r\nConnection: close\r\n\r\n")
            return sock.recv(200).split(b"\r\n")[0]

    assert b" 403 " in purge_from("127.0.0.2")  # another machine
    assert b" 200 " in purge_from("127.0.0.1")  # the app's


def test_an_edge_that_misses_a_purge_is_asked_again_later(db, settings):
    from django_tasks_db.models import DBTaskResult

    from core import edge

    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # nothing listens there
    edge.purge(["piece-1"])
    retry = DBTaskResult.objects.get(task_path="core.edge.purge_edge")
    assert retry.args_kwargs["args"] == [settings.EDGE_PURGE_URLS[0], ["piece-1"], 1]
    assert retry.run_after is not None
