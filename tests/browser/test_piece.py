"""A reader on a piece page: contents, share, copy link, print, at phone and desktop widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from people.models import Person
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"phone": (390, 844), "desktop": (1366, 768)}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
SECTIONS = ("Why the gas matters", "The commercial case", "Egypt’s role", "Pipelines and politics")
PARAGRAPH = "<p>" + " ".join(["Offshore gas has changed the region's politics."] * 30) + "</p>"


@pytest.fixture
def piece(live_server, demo_site):
    """A piece by the demo's Ira Weiner Fellow, long enough for contents; the demo has none."""
    levels = ["h3" if title.startswith("Egypt") else "h2" for title in SECTIONS]
    body = "".join(f"<{h}>{title}</{h}>{PARAGRAPH}" for h, title in zip(levels, SECTIONS, strict=True))
    body += '<p>Figures from <a href="https://www.eia.gov/">the EIA</a>.</p>'
    piece = PublicationFactory(
        title="Eastern Mediterranean Gas & Its Friction",
        slug="eastern-mediterranean-gas",
        body=body,
        authors=[Person.objects.get(slug="anna-borshchevskaya")],
        topics=["Energy"],
    )
    piece.url = f"{live_server.url}{piece.get_absolute_url()}"
    piece.short_url = f"{live_server.url}{piece.get_short_url()}"
    return piece


@pytest.mark.parametrize("width", WIDTHS)
def test_a_contents_link_takes_the_reader_to_its_heading(piece, new_page, width):
    page = new_page(*WIDTHS[width])
    page.goto(piece.url)
    contents = page.locator('nav[aria-label="Contents"]')
    # Folded above the text on a phone; open beside it on a desktop.
    assert contents.locator("details").evaluate("d => d.open") == (width == "desktop")
    if width == "phone":
        contents.locator("summary").click()
    contents.get_by_role("link", name="Pipelines and politics").click()
    page.wait_for_function("location.hash === '#pipelines-and-politics'")
    heading = page.locator("#pipelines-and-politics")
    assert heading.inner_text() == "Pipelines and politics"
    top = heading.evaluate("h => h.getBoundingClientRect().top")
    assert 0 <= top < 100


def test_on_a_desktop_the_contents_stay_in_view_beside_the_text(piece, new_page):
    page = new_page(1366, 768)
    page.goto(piece.url)
    contents, body = page.locator(".contents"), page.locator(".piece__body")
    assert contents.bounding_box()["x"] > body.bounding_box()["x"] + body.bounding_box()["width"]
    page.locator("#pipelines-and-politics").scroll_into_view_if_needed()
    assert 0 <= contents.evaluate("n => n.getBoundingClientRect().top") < 100


def test_copy_link_puts_the_piece_address_on_the_clipboard(piece, new_page):
    page = new_page()
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=piece.url.split("/policy")[0]
    )
    page.goto(piece.url)
    button = page.get_by_role("button", name="Copy link")
    button.click()
    expect(page.locator(".share__status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == piece.url


def test_without_a_clipboard_there_is_no_copy_button_but_the_share_links_stay(piece, new_page):
    page = new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(piece.url)
    assert page.locator(".share__copy").is_hidden()
    assert page.get_by_role("link", name="Share on X").is_visible()
    assert (
        page.get_by_role("link", name="Share by Email").get_attribute("href").startswith("mailto:?subject=")
    )


def test_the_print_edition_names_the_institute_and_address_without_the_chrome(piece, new_page, screenshot):
    page = new_page(900, 1200)
    page.goto(piece.url)
    assert page.locator(".print-header").is_hidden()  # on screen
    page.emulate_media(media="print")
    header = page.locator(".print-header")
    assert header.is_visible()
    assert "The Washington Institute for Near East Policy" in header.inner_text()
    assert piece.short_url in header.inner_text()
    for clutter in (".site-header", ".site-nav", ".site-footer", ".share", ".contents", ".related"):
        assert page.locator(clutter).first.is_hidden(), clutter
    assert page.locator(".breadcrumb").inner_text().strip().lower() == "policywatch"
    assert page.locator(".piece__title").is_visible() and page.locator(".piece__meta .byline").is_visible()
    assert page.locator(".cite__text").is_visible()
    link_after = page.locator('.prose a[href^="https://www.eia.gov"]').evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert "https://www.eia.gov/" in link_after
    assert (
        page.locator(".terms .tag-list li").first.evaluate("li => getComputedStyle(li).display") == "inline"
    )
    screenshot(page, "piece-print")
    assert page.pdf()[:4] == b"%PDF"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_piece_page_passes_axe_at_each_width_and_scheme(piece, new_page, screenshot, width, scheme):
    page = new_page(*WIDTHS[width], color_scheme=scheme)
    page.goto(piece.url)
    screenshot(page, f"piece-{width}-{scheme}")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
    ]
    for _ in range(60):  # the share links show where the keyboard is
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('share__link')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('share__link')")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
