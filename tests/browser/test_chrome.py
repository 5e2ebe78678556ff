"""The site's chrome in a browser: search from the header of every page type at desktop and phone
widths, the footer's links, the site name on one line, and axe on the institute's own pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.django_db(transaction=True)

PHONE, DESKTOP = (390, 844), (1366, 768)
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}

PAGE_TYPES = {
    "home": "/",
    "listing": "/policy-analysis/",
    "piece": "/policy-analysis/netanyahu-and-putin-rendezvous-in-paris/",
    "topic": "/topics/terrorism/",
    "region": "/regions/syria/",
    "expert": "/experts/anna-borshchevskaya/",
    "fellowship": "/fellowships/ira-weiner-fellowship/",
    "feeds": "/feeds/",
    "not-found": "/no-such-page/",
    "about": "/about/",
}


@pytest.fixture
def site(live_server, demo_site):
    return live_server.url


def focused(page):
    return page.evaluate("document.activeElement.id || document.activeElement.className")


def landed_on_results(page, site, query):
    page.wait_for_url(f"{site}/search/?q={query}")
    assert page.locator(".card").count() > 0, page.url


def search_on_desktop(page, site, query):
    field = page.locator("#site-search-q")
    assert field.is_visible() and page.locator(".site-search-toggle").is_hidden()
    field.focus()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    landed_on_results(page, site, query)


def search_on_phone(page, site, query):
    """Tab to the folded search (after the skip link and the logo), open it with Enter, search."""
    assert page.locator("#site-search-q").is_hidden()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    toggle = page.locator("button.site-search-toggle")
    assert focused(page) == "site-search-toggle" and toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "site-search"
    assert toggle.evaluate("el => getComputedStyle(el).outlineStyle") != "none"  # focus is visible
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and focused(page) == "site-search-q"
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    landed_on_results(page, site, query)


@pytest.mark.parametrize("width", ("desktop", "phone"))
def test_a_reader_searches_from_the_header_of_every_page_type(site, new_page, screenshot, width):
    page = new_page(*(DESKTOP if width == "desktop" else PHONE))
    for name, path in PAGE_TYPES.items():
        page.goto(f"{site}{path}")
        if name in ("home", "expert", "not-found"):
            screenshot(page, f"chrome-{width}-{name}")
        if width == "desktop":
            search_on_desktop(page, site, "Syria")
        else:
            search_on_phone(page, site, "Syria")


def test_escape_folds_the_phone_search_again_and_gives_focus_back(site, new_page, screenshot):
    page = new_page(*PHONE, color_scheme="dark")
    page.goto(f"{site}/about/")
    page.click("button.site-search-toggle")
    assert page.locator("#site-search-q").is_visible() and focused(page) == "site-search-q"
    screenshot(page, "chrome-phone-search-open-dark")
    page.keyboard.press("Escape")
    assert page.locator("#site-search-q").is_hidden() and focused(page) == "site-search-toggle"


def test_opening_the_phone_search_moves_nothing_above_it(site, new_page):
    page = new_page(*PHONE)
    page.goto(f"{site}/")
    before = page.locator(".site-logo").bounding_box()
    page.click("button.site-search-toggle")
    assert page.locator(".site-logo").bounding_box() == before


def test_without_javascript_the_phone_search_is_a_link_to_the_search_page(site, browser):
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}/")
        page.click("a.site-search-toggle")
        page.wait_for_url(f"{site}/search/")
        page.fill("#search-q", "Syria")
        page.keyboard.press("Enter")
        landed_on_results(page, site, "Syria")
    finally:
        context.close()


def test_the_not_found_page_and_the_footer_offer_a_search(site, new_page):
    page = new_page(*DESKTOP)
    page.goto(f"{site}/no-such-page/")
    page.fill("#not-found-q", "Hezbollah")
    page.keyboard.press("Enter")
    landed_on_results(page, site, "Hezbollah")
    page.goto(f"{site}/about/")
    page.fill("#footer-search-q", "Iran")
    page.click(".site-footer__search button")
    landed_on_results(page, site, "Iran")


@pytest.mark.parametrize(
    ("link", "heading"),
    (
        ("About", "About The Washington Institute for Near East Policy"),
        ("Contact", "Contact"),
        ("Privacy", "Privacy"),
        ("RSS and Atom feeds", None),
        ("Email alerts", "Get these by email"),
    ),
)
def test_the_footer_links_lead_to_their_pages(site, new_page, link, heading):
    page = new_page(*DESKTOP)
    page.goto(f"{site}/policy-analysis/")
    with page.expect_navigation():
        page.locator(".site-footer").get_by_role("link", name=link, exact=True).click()
    assert page.url != f"{site}/policy-analysis/"
    assert page.locator("h1").count() == 1
    if heading:
        assert page.inner_text("h1") == heading


@pytest.mark.parametrize("width", (1280, 1366, 1440))
def test_the_site_name_is_on_one_line_on_a_desktop(site, new_page, width):
    page = new_page(width, 800)
    page.goto(f"{site}/")
    height, line = page.locator(".site-logo__name").evaluate(
        "el => [el.getBoundingClientRect().height, parseFloat(getComputedStyle(el).lineHeight)]"
    )
    assert height < 1.5 * line, (height, line)


@pytest.mark.parametrize("color_scheme", ("light", "dark"))
@pytest.mark.parametrize("width", ("desktop", "phone"))
def test_the_institute_s_pages_and_an_expert_page_pass_axe(site, new_page, screenshot, width, color_scheme):
    page = new_page(*(DESKTOP if width == "desktop" else PHONE), color_scheme=color_scheme)
    axe = Axe()
    for path in ("/about/", "/contact/", "/privacy/", "/experts/tobias-ferrand/", "/experts/"):
        page.goto(f"{site}{path}")
        if width == "phone":
            page.click("button.site-search-toggle")  # the open field is checked too
        screenshot(page, f"chrome-{width}-{color_scheme}-{path.strip('/').replace('/', '-')}")
        violations = axe.run(page, options=WCAG).response["violations"]
        assert violations == [], (path, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations])
