"""Pictures as a reader's browser gets them: the small modern file, no layout shift, a light page."""

import pytest

PIECE = "/policy-analysis/netanyahu-and-putin-rendezvous-in-paris/"
# Sums the layout shifts a reader sees (Cumulative Layout Shift), from the first paint on.
WATCH_LAYOUT_SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__shift += entry.value; }
}).observe({type: "layout-shift", buffered: true});
"""
IMAGES = """
els => els.map(e => ({src: e.currentSrc, shown: e.clientWidth, natural: e.naturalWidth,
  complete: e.complete, cls: e.className, loading: e.loading}))
"""


@pytest.fixture
def site(live_server, demo_site):
    return live_server.url


def open_watched(new_page, width, scheme="light"):
    page = new_page(width=width, color_scheme=scheme)
    page.add_init_script(WATCH_LAYOUT_SHIFTS)
    received = []
    page.on("requestfinished", lambda request: received.append(request.sizes()["responseBodySize"]))
    return page, received


@pytest.mark.parametrize("width", [390, 1366])
def test_the_piece_page_loads_an_avif_rendition_without_shifting_and_stays_light(
    site, new_page, screenshot, width
):
    page, received = open_watched(new_page, width)
    page.goto(f"{site}{PIECE}", wait_until="networkidle")
    (lead,) = [
        image for image in page.eval_on_selector_all("img", IMAGES) if image["cls"] == "piece__image-img"
    ]
    assert lead["complete"] and "/renditions/" in lead["src"] and lead["src"].endswith(".avif")
    assert lead["natural"] >= lead["shown"]  # sharp: never a rendition narrower than its box
    assert page.evaluate("window.__shift") < 0.02
    assert sum(received) < 150 * 1024, f"{sum(received)} bytes"
    assert page.locator(".piece__image figcaption").inner_text() == "Illustration made for the demo"
    screenshot(page, f"pictures-piece-{width}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_home_page_shows_the_featured_picture_first_and_thumbnails_beside_cards(
    site, new_page, screenshot, scheme
):
    page, _received = open_watched(new_page, 1366, scheme)
    page.goto(f"{site}/", wait_until="networkidle")
    images = page.eval_on_selector_all("img", IMAGES)
    featured = [image for image in images if image["cls"] == "card__image"]
    assert len(featured) == 1 and featured[0]["loading"] == "auto" and featured[0]["complete"]
    thumbs = [image for image in images if image["cls"] == "card__thumb"]
    assert thumbs and all(image["loading"] == "lazy" for image in thumbs)
    box = page.locator(".card__thumb").first.bounding_box()
    assert box["width"] <= 170 and abs(box["width"] / box["height"] - 1.5) < 0.05  # a 3:2 thumbnail
    assert page.evaluate("window.__shift") < 0.02
    screenshot(page, f"pictures-home-{scheme}")


def test_experts_have_round_portraits_on_the_list_and_their_page(site, new_page, screenshot):
    page, _received = open_watched(new_page, 390)
    page.goto(f"{site}/experts/", wait_until="networkidle")
    photo = page.locator(".person-card__photo").first
    box = photo.bounding_box()
    assert round(box["width"]) == round(box["height"]) == 80
    page.goto(f"{site}/experts/anna-borshchevskaya/", wait_until="networkidle")
    (portrait,) = [i for i in page.eval_on_selector_all("img", IMAGES) if i["cls"] == "person-header__photo"]
    assert portrait["complete"] and portrait["src"].endswith(".avif")
    assert page.locator(".portrait figcaption").inner_text() == "Illustration made for the demo"
    screenshot(page, "pictures-expert-390")
