"""Every public page type is valid HTML, as the Nu HTML Checker (vnu.jar) judges it."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HAVE_TOOLS = VNU.exists() and shutil.which("java")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not HAVE_TOOLS and not os.environ.get("REQUIRE_BROWSER"),
        reason="the Nu HTML Checker needs Java and `npm install` (node_modules/vnu-jar)",
    ),
]

PAGES = {
    "home": "/",
    "listing": "/policy-analysis/",
    "filtered-listing": "/policy-analysis/?topic=terrorism&type=policywatch&from=2016",
    "search": "/search/?q=iran+nuclear",
    "search-empty": "/search/",
    "piece": "/policy-analysis/netanyahu-and-putin-rendezvous-in-paris/",
    "experts": "/experts/",
    "expert": "/experts/anna-borshchevskaya/",
    "fellowships": "/fellowships/",
    "fellowship": "/fellowships/ira-weiner-fellowship/",
    "topics": "/topics/",
    "topic": "/topics/terrorism/",
    "regions": "/regions/",
    "region": "/regions/syria/",
    "year": "/policy-analysis/archive/2024/",
    "feeds": "/feeds/",
    "not-found": "/no-such-page/",
    "bad-request": "/policy-analysis/?topic=atlantis",
}


def test_every_public_page_type_is_valid_html(client, demo_site, tmp_path):
    assert HAVE_TOOLS, f"missing {VNU} or java"
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--errors-only",
            *sorted(map(str, tmp_path.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
