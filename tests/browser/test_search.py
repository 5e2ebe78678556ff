"""A reader misspells a name, is offered the right one, follows it and finds the piece."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

VIEWS = [(390, 844, "light"), (1366, 900, "dark")]


@pytest.fixture
def site(live_server, demo_site):
    return live_server.url


@pytest.mark.parametrize(("width", "height", "scheme"), VIEWS)
def test_a_misspelt_search_offers_did_you_mean_and_its_link_finds_the_piece(
    site, new_page, screenshot, width, height, scheme
):
    page = new_page(width, height, color_scheme=scheme)
    page.goto(f"{site}/search/")
    assert page.locator("input[type=search]:visible").count() == 1  # no header box on this page
    page.fill("#search-q", "Netanyahoo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/search/?q=Netanyahoo")
    assert page.inner_text(".result-count").lower() == "0 results"
    suggestion = page.locator(".search-suggestion")
    assert suggestion.inner_text() == "Did you mean Netanyahu?"
    assert page.locator(".search-empty a[href='/topics/']").count() == 1
    screenshot(page, f"search-{width}-{scheme}-1-did-you-mean")

    suggestion.locator("a").click()
    page.wait_for_url(f"{site}/search/?q=Netanyahu")
    assert page.locator(".search-suggestion").count() == 0
    assert "Netanyahu and Putin Rendezvous in Paris" in page.inner_text(".listing__results")
    assert page.locator(".card mark").count() > 0
    assert page.locator("input[type=search]:visible").count() == 1
    screenshot(page, f"search-{width}-{scheme}-2-results")
