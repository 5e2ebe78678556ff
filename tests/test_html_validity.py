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
    "listing-date-error": "/policy-analysis/?from=2015-13-45",
    "search": "/search/?q=iran+nuclear",
    "search-results": "/search/?q=missile",
    "search-suggestion": "/search/?q=netanyahoo",
    "search-empty": "/search/",
    "piece": "/policy-analysis/netanyahu-and-putin-rendezvous-in-paris/",
    "piece-contents": (
        "/policy-analysis/counterterrorism-after-the-caliphate-the-unfinished-agenda-in-iraq-and-syria/"
    ),
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
    "about": "/about/",
    "contact": "/contact/",
    "privacy": "/privacy/",
    "not-found": "/no-such-page/",
    "bad-request": "/policy-analysis/?topic=atlantis",
    "email-subscribe": "/email/subscribe/?follow=topic%3Dterrorism",
    "email-cannot-follow": "/email/subscribe/?follow=topic%3Datlantis",
    "email-sent": "/email/subscribe/sent/?follow=topic%3Dterrorism",
    "email-bad-link": "/email/manage/forged/",
}
# What a page is in the list to show: if the demo stops showing it there, the page no longer
# covers its case (and the checks below would pass on a page without it).
SHOWS = {
    "listing-date-error": ('class="error-summary"',),
    "search-results": ('class="card',),
    "search-suggestion": ('href="/search/?q=netanyahu"',),
    "piece": ('class="piece__image-img"',),
    "piece-contents": ('class="contents"', 'class="piece__image-img"'),
    "experts": ("<img ",),
    "expert": ('class="person-header__photo"', 'class="subscribe"'),
    "topic": ('class="subscribe"',),
    "home": ("<img ", 'class="subscribe"'),
    "email-subscribe": ('class="subscribe"',),
    "email-cannot-follow": ('class="error-summary"',),
}


def test_every_public_page_type_is_valid_html(client, demo_site, tmp_path):
    assert HAVE_TOOLS, f"missing {VNU} or java"
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        missing = [mark for mark in SHOWS.get(name, ()) if mark not in response.text]
        assert not missing, f"{url} no longer shows {missing}"
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
