"""The check-in pages on a phone (390 x 844): axe finds nothing, nothing scrolls sideways, targets are 44 px.

Walks the emailed link: the questions, their error state, the answers sent,
the thank-you page (and, with a new warning sign, the urgent advice), a link
used twice, a bad link, and unsubscribing. With SAVE_SCREENSHOTS=1 it writes
docs/screenshots/phone-checkin*.png.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from followups import services
from followups.tokens import unsubscribe_link_sign
from tests.followups.conftest import link_path, opted_in
from triage import scoring
from triage.selectors import ruleset_get

from .conftest import PHONE
from .test_pages import check_page, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def answer(page: Page, *, ticked: str = "none") -> None:
    for name, value in (
        ("pain_intensity", "3"),
        ("enjoyment_interference", "2"),
        ("activity_interference", "4"),
        ("global_change", "2"),
        ("seen_professional", "gp"),
    ):
        tap(page, name, value)
    tap(page, "ticked", ticked)


def tap(page: Page, name: str, value: str) -> None:
    """Tap an answer as a person would: its whole box (the label covers it)."""
    page.locator(f'.answer:has(input[name="{name}"][value="{value}"]) label').click()
    expect(page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    yield context.new_page()
    context.close()


def test_the_check_in_pages_are_accessible_on_a_phone(phone, screenshots_enabled):
    page, axe, problems = phone, Axe(), []
    ruleset = ruleset_get()
    checkin = services.checkin_send(submission=opted_in(ruleset, days_ago=42), week=6)
    link = link_path(checkin)

    def look(name: str) -> None:
        problems.extend(check_page(page, name, axe))
        if screenshots_enabled:
            save_screenshot(page, name, "phone")

    page.goto(link)
    expect(page.locator("h1")).to_have_text("How are you getting on?")
    look("checkin")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-message")).to_have_count(6)
    look("checkin-errors")
    answer(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    look("checkin-done")
    page.goto(link)
    expect(page.locator("h1")).to_have_text("You have already answered this check-in")
    look("checkin-answered")
    page.goto("/check-in/not-a-real-link/")
    expect(page.locator("h1")).to_have_text("This link does not work")
    look("checkin-bad-link")
    page.goto(f"/check-in/unsubscribe/{unsubscribe_link_sign(checkin_id=checkin.pk)}/")
    look("checkin-unsubscribe")
    page.get_by_role("button", name="Yes, stop the emails").click()
    expect(page.locator("h1")).to_have_text("Check-in emails stopped")
    look("checkin-unsubscribed")
    assert problems == []


def test_a_new_warning_sign_shows_the_urgent_advice_first(phone):
    ruleset = ruleset_get()
    checkin = services.checkin_send(submission=opted_in(ruleset, days_ago=43), week=6)
    page = phone
    page.goto(link_path(checkin))
    answer(page, ticked=ruleset.questions_of_kind(scoring.EMERGENCY)[0].code)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("h1")).to_have_text("Call 111 now, or go to the nearest emergency department")
    box = page.locator(".call-button").bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    assert check_page(page, "checkin-urgent", Axe()) == []
