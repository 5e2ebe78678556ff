"""A reader's journey at phone and desktop widths, and axe-core on every public page type."""

import feedparser
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_html_validity import PAGES

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"phone": (390, 844), "desktop": (1366, 768)}
BROKEN_IMAGES = "[...document.images].filter((i) => i.complete && !i.naturalWidth).map((i) => i.src)"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


@pytest.fixture
def site(live_server, demo_site):
    return live_server.url


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_finds_reads_and_follows(site, new_page, screenshot, width):
    page = new_page(*WIDTHS[width])
    page.goto(f"{site}/")
    screenshot(page, f"reader-{width}-1-home")
    page.click("nav.site-nav >> text=Policy Analysis")
    page.wait_for_url(f"{site}/policy-analysis/")
    count = int(page.inner_text(".result-count").split()[0])
    assert count == 23  # the demo has 25 pieces: one in review and one scheduled are not counted

    # Filter by a topic: the facet link narrows the list and the count follows. On a phone the
    # filters are folded above the results; on a desktop they are open beside them.
    facets_open = page.locator(".filters-toggle").get_attribute("open") is not None
    assert facets_open == (width == "desktop")
    if not facets_open:
        page.click(".filters-toggle > summary")
    page.click(".facet >> text=Terrorism")
    page.wait_for_url(f"{site}/policy-analysis/?topic=terrorism")
    filtered = int(page.inner_text(".result-count").split()[0])
    assert 0 < filtered < count
    screenshot(page, f"reader-{width}-2-filtered")

    # Open the reference piece, then its author, then the author's feed.
    page.click("text=Netanyahu and Putin Rendezvous in Paris")
    assert page.inner_text("h1") == "Netanyahu and Putin Rendezvous in Paris"
    assert "Anna Borshchevskaya is an Ira Weiner Fellow at The Washington Institute." in page.inner_text(
        ".bios"
    )
    screenshot(page, f"reader-{width}-3-piece")
    page.click(".piece__meta >> text=Anna Borshchevskaya")
    page.wait_for_url(f"{site}/experts/anna-borshchevskaya/")
    feed_href = page.get_attribute(".follow-links >> text=RSS", "href")
    feed = feedparser.parse(page.request.get(f"{site}{feed_href}").body())
    assert not feed.bozo and feed.entries[0].title == "Netanyahu and Putin Rendezvous in Paris"

    # Search, then page through the listing.
    page.goto(f"{site}/search/")
    page.fill("#search-q", "Syria")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/search/?q=Syria")
    assert page.locator(".card").count() > 0 and page.locator("mark").count() > 0
    screenshot(page, f"reader-{width}-4-search")
    page.goto(f"{site}/policy-analysis/")
    page.click(".pagination >> text=Next")
    page.wait_for_url(f"{site}/policy-analysis/?page=2")
    assert page.locator(".card").count() == count - 20

    # A missing page is a helpful 404.
    response = page.goto(f"{site}/policy-analysis/no-such-piece/")
    assert response.status == 404 and "We can’t find that page" in page.inner_text("h1")
    screenshot(page, f"reader-{width}-5-not-found")


def test_keyboard_users_can_skip_to_content_and_see_focus(site, new_page):
    page = new_page(390, 844)
    page.goto(f"{site}/policy-analysis/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    # Every navigation link is reachable with the keyboard on a phone.
    page.goto(f"{site}/")
    reached = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.textContent.trim()"))
    assert {"Policy Analysis", "Experts", "Fellowships", "Topics", "Regions"} <= reached


@pytest.mark.parametrize(("width", "scheme"), [("phone", "light"), ("desktop", "light"), ("desktop", "dark")])
def test_axe_finds_no_wcag_violations_on_any_page_type(site, new_page, width, scheme):
    page = new_page(*WIDTHS[width], color_scheme=scheme)
    axe = Axe()
    problems = {}
    for name, url in PAGES.items():
        page.goto(f"{site}{url}")
        # axe judges the pages with their images (lead images, cards, portraits) loaded, not broken.
        broken = page.evaluate(BROKEN_IMAGES)
        if broken:
            problems[f"{name} (broken images)"] = broken
        results = axe.run(page, options=WCAG)
        if results.violations_count:
            problems[name] = [
                (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
            ]
    assert problems == {}
