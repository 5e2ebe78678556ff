"""`make run` (the dev settings) shows the site's own error pages; `DEBUG=1` shows Django's.

The dev settings are read in a fresh interpreter, as `manage.py runserver` reads them, on an
in-memory database: the test process itself runs under the test settings.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Requests as a browser at http://127.0.0.1:<any port>/ sends them, answered by the dev settings.
PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="127.0.0.1:8765")
def get(path, **headers):
    response = client.get(path, **headers)
    body = b"".join(response) if response.streaming else response.content
    return [response.status_code, body.decode(errors="replace")]
print(json.dumps({
    "debug": settings.DEBUG,
    "missing": get("/no-such-page/"),
    "bad_filter": get("/policy-analysis/?type=nonexistent"),
    "localhost": get("/no-such-page/", HTTP_HOST="localhost:3000"),
    "forged_host": get("/no-such-page/", HTTP_HOST="attacker.test"),
    "stylesheet": get("/static/css/listing.css"),
}))
"""


def probe(**env):
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "PYTEST_CURRENT_TEST")
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL="sqlite://:memory:",
        REDIS_URL="",
        DJANGO_LOG_LEVEL="CRITICAL",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_make_run_shows_the_sites_own_404_and_400_pages_and_serves_static_files():
    pages = probe()
    assert pages["debug"] is False
    status, text = pages["missing"]
    assert status == 404
    assert "We can’t find that page" in text and "Traceback" not in text and "URLconf" not in text
    status, text = pages["bad_filter"]
    assert status == 400
    assert "We couldn’t understand that request" in text
    assert "There is no publication type called “nonexistent”." in text
    assert "Traceback" not in text
    assert pages["localhost"][0] == 404  # localhost on another port is a host the site answers
    assert pages["forged_host"][0] == 400
    status, text = pages["stylesheet"]
    assert status == 200 and ".error-summary" in text  # static files without DEBUG or collectstatic


def test_debug_1_turns_on_djangos_debug_pages():
    pages = probe(DEBUG="1")
    assert pages["debug"] is True
    status, text = pages["missing"]
    assert status == 404
    assert "Using the URLconf defined in" in text
    assert "We can’t find that page" not in text
