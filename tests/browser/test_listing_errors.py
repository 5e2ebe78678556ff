"""A reader's mistake in the listing's filters, in Chromium: the message beside the field, the
results still there, an address without empty fields, and nothing axe-core objects to."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.django_db(transaction=True)

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
INVERTED = "The end date (“To”) is before the start date (“From”)."


@pytest.fixture
def site(live_server, demo_site):
    return live_server.url


def assert_no_empty_parameters(url):
    query = url.partition("?")[2]
    assert query, url
    assert not re.search(r"(^|&)[^=&]+=(&|$)", query), f"empty parameter in {url}"


def test_an_inverted_range_is_explained_beside_the_field_and_the_results_stay(site, new_page, screenshot):
    page = new_page(1366, 900)
    page.goto(f"{site}/policy-analysis/")
    everything = page.inner_text(".result-count")
    page.fill("#id_from", "2024-01-01")
    page.fill("#id_to", "2020-12-31")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*to=2020-12-31.*"))
    # The search box and any other empty field stayed out of the address.
    assert "q=" not in page.url
    assert_no_empty_parameters(page.url)

    # The message sits beside the field, tied to it, and the summary at the top has the focus.
    assert page.inner_text("#id_to-error").endswith(INVERTED)
    assert page.get_attribute("#id_to", "aria-invalid") == "true"
    assert page.get_attribute("#id_to", "aria-describedby") == "id_to-error"
    message_box = page.locator("#id_to-error").bounding_box()
    field_box = page.locator("#id_to").bounding_box()
    assert 0 <= field_box["y"] - (message_box["y"] + message_box["height"]) < 20  # right over it
    assert page.evaluate("document.activeElement.id") == "filter-errors"
    # The listing is still there, without the range: a reader is never left on an empty page.
    assert page.inner_text(".result-count") == everything
    screenshot(page, "listing-errors-desktop-inverted")

    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, [v["id"] for v in results.response["violations"]]

    # The summary's link takes the reader to the field to correct.
    page.click(f".error-summary a:has-text('{INVERTED}')")
    assert page.evaluate("document.activeElement.id") == "id_to"

    # Back to the first page (past the link's #id_to): its fields work again (they were set aside
    # only for the submit).
    page.go_back()
    page.go_back()
    page.wait_for_url(f"{site}/policy-analysis/")
    assert page.is_enabled("#id_q")


def test_on_a_phone_a_mistake_opens_the_folded_filters_at_the_message(site, new_page, screenshot):
    page = new_page(390, 844, color_scheme="dark")
    page.goto(f"{site}/policy-analysis/?from=2019&to=whenever")
    assert page.get_attribute(".filters-toggle", "open") is not None
    assert page.is_visible("#id_to-error")
    assert page.inner_text("#id_to-error").endswith("“To” must be a date, like 2015\u201111\u201130.")
    assert page.evaluate("document.activeElement.id") == "filter-errors"
    screenshot(page, "listing-errors-phone-mistyped")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, [v["id"] for v in results.response["violations"]]


def test_without_javascript_empty_fields_are_redirected_out_of_the_address(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}/policy-analysis/")
        page.click(".filters-toggle > summary")  # folded: without JavaScript nothing opens it
        page.select_option("#id_sort", "oldest")
        page.click("form.filters button[type=submit]")
        page.wait_for_load_state()
        assert page.url == f"{site}/policy-analysis/?sort=oldest"
    finally:
        context.close()
