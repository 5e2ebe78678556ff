"""A reader subscribes on a topic page in a real browser, confirms from the mail, and changes their
preferences, at phone and desktop widths; axe-core judges every page of the way."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from alerts.models import Subscription
from tests.alerts.conftest import run_worker

from .test_reader import WCAG, WIDTHS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, demo_site):
    return live_server.url


def _judge(page, axe, name, problems):
    results = axe.run(page, options=WCAG)
    if results.violations_count:
        problems[name] = [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
        ]


@pytest.mark.parametrize(("width", "scheme"), [("phone", "light"), ("desktop", "dark")])
def test_a_reader_subscribes_confirms_and_manages_by_email(site, new_page, screenshot, width, scheme):
    page = new_page(*WIDTHS[width], color_scheme=scheme)
    axe, problems = Axe(), {}
    page.goto(f"{site}/topics/terrorism/")
    form = page.locator("form.subscribe")
    assert form.get_by_label("Email address").is_visible()
    screenshot(page, f"email-{width}-{scheme}-1-topic")

    form.get_by_label("Email address").fill("reader@example.org")
    form.get_by_label("Weekly digest").check()
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(re.compile(r"/email/subscribe/sent/"))
    assert page.inner_text("h1") == "Check your inbox"
    _judge(page, axe, "sent", problems)
    screenshot(page, f"email-{width}-{scheme}-2-sent")

    run_worker()
    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+/email/confirm/\S+", message.body)
    page.goto(site + re.sub(r"^https?://[^/]+", "", link))
    assert Subscription.objects.get().confirmed_at is None  # opening the link confirms nothing
    _judge(page, axe, "confirm", problems)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == "You are subscribed"
    assert Subscription.objects.get().confirmed_at is not None
    _judge(page, axe, "confirmed", problems)

    page.get_by_role("link", name="Manage your subscriptions").click()
    page.wait_for_load_state()
    assert "Analysis on Terrorism" in page.inner_text(".subscriptions")
    _judge(page, axe, "manage", problems)
    page.get_by_label("How often").select_option("instant")
    page.get_by_role("button", name="Save how often for Analysis on Terrorism").click()
    page.wait_for_load_state()
    assert "you will now get a mail for each new piece" in page.inner_text(".alerts-messages")
    assert Subscription.objects.get().frequency == "instant"
    screenshot(page, f"email-{width}-{scheme}-3-manage")

    page.get_by_role("button", name="Delete my address and everything kept about it").click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Your address is deleted"
    assert not Subscription.objects.exists()
    _judge(page, axe, "deleted", problems)
    assert problems == {}


def test_a_mistyped_address_is_shown_beside_its_field(site, new_page):
    page = new_page(*WIDTHS["phone"])
    page.goto(f"{site}/topics/terrorism/")
    field = page.locator("#subscribe-email")
    field.evaluate("input => { input.type = 'text'; }")  # past the browser's own check, as old ones are
    field.fill("reader@example.org\nBcc: someone@example.org")
    page.locator("form.subscribe button").click()
    page.wait_for_load_state()

    assert "Enter an email address like name@example.org." in page.inner_text(".subscribe__field")
    assert page.locator("#subscribe-email").get_attribute("aria-invalid") == "true"
    assert mail.outbox == []
