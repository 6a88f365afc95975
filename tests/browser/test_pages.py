"""Every patient page, on a phone and a desktop: accessibility, layout, tap targets, weight.

One walk through the site visits each page (every questionnaire screen, its
error state, the five results, the booking pages) and checks it the same way:

- axe-core finds 0 WCAG 2.2 A/AA violations;
- on a phone (390 x 844): the landing page's Start button and 111 warning sit
  in the first 844 px, no questionnaire screen is taller than 1,266 px (1.5
  screens) with or without errors, and a result's top suggestion is in the
  first 844 px;
- nothing scrolls sideways;
- every tap target is at least 44 x 44 CSS pixels (links inside a sentence
  are exempt, as WCAG 2.5.8 allows);
- the page, with its CSS, JavaScript and icon, weighs under 100 KB as
  transferred in production (see ``transferred_bytes``).

With SAVE_SCREENSHOTS=1 (``make screenshots``) it also writes a PNG of each
main page into docs/screenshots/ and the page weights into
docs/screenshots/page-weights.md.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.staticfiles import finders
from PIL import Image
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, SCREENSHOT_DIR
from .journey import PLANS, answer_screen, continue_, run, start, step_of, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# No questionnaire screen taller than 1.5 phone screens, with or without errors.
MAX_SCREEN_HEIGHT = 1266
MAX_PAGE_BYTES = 100 * 1024
MIN_TARGET = 44
# The pages worth a screenshot in the README.
SCREENSHOT_PAGES = {
    "landing",
    "emergency",
    "where",
    "more_hip",
    "intensity",
    "contact-errors",
    "result-book_assessment",
    "result-emergency",
}

TAP_TARGETS_JS = """
() => {
  const small = [];
  const seen = new Set();
  const selector = 'a[href], button, input, select, textarea, summary, [role="button"], [data-body-map] g[data-region]';
  for (const el of document.querySelectorAll(selector)) {
    if (el.type === 'hidden' || el.closest('[hidden]') || !el.getClientRects().length) continue;
    // A body diagram area has an equivalent control on the page, its checklist items (WCAG 2.5.8's
    // "equivalent" exception): it counts only if one of its questions has no checkbox.
    if (el.matches('g[data-region]') && el.dataset.codes.split(' ').every(
      code => document.querySelector(`input[type=checkbox][value="${code}"]`))) continue;
    // A radio or checkbox is tapped through its whole answer box (the label covers it).
    const target = (el.matches('input[type=radio], input[type=checkbox]') && el.closest('.answer, .form-check')) || el;
    if (seen.has(target)) continue;
    seen.add(target);
    const style = getComputedStyle(el);
    if (el.tagName === 'A' && style.display === 'inline') {
      const parentText = el.parentElement.textContent.trim();
      if (parentText.length > el.textContent.trim().length) continue;  // a link inside a sentence
    }
    const box = target.getBoundingClientRect();
    if (box.width < 44 || box.height < 44) {
      const label = (target.textContent || target.name || '').trim().slice(0, 40);
      small.push(`${target.tagName.toLowerCase()} "${label}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}
"""


PAGE_FILES_JS = """
() => ({
  html: performance.getEntriesByType('navigation')[0].decodedBodySize,
  files: [...document.querySelectorAll('link[rel~="stylesheet"][href], link[rel~="icon"][href], script[src]')]
    .map(el => new URL(el.href || el.src).pathname),
})
"""


def page_weight(page: Page) -> tuple[int, int]:
    """(uncompressed bytes, bytes as transferred in production) of a first visit to the page.

    The HTML's size comes from the browser's navigation timing; the
    stylesheets, scripts and icon the page links to are sized from the files
    themselves, so the figure does not depend on what the browser cached.
    Production serves static files through WhiteNoise's compressed storage
    (gzip and brotli made at collectstatic), so they count at their gzip size;
    the HTML counts in full, as Django sends it uncompressed.
    """
    sizes = page.evaluate(PAGE_FILES_JS)
    raw = transferred = sizes["html"]
    for path in sizes["files"]:
        body = Path(finders.find(path.removeprefix("/static/"))).read_bytes()
        raw += len(body)
        transferred += len(gzip.compress(body, 9))
    return raw, transferred


@dataclass
class Visit:
    name: str
    raw: int
    transferred: int


def walk(page: Page) -> Iterator[str]:
    """Visit every patient page in turn, yielding each page's name once it has loaded."""

    def error_of(name: str) -> str:
        continue_(page)
        expect(page.locator(".error-summary")).to_be_visible()
        return f"{name}-errors"

    def next_screen() -> None:
        step = step_of(page)
        continue_(page)
        page.wait_for_function("step => !location.pathname.endsWith('/' + step + '/')", arg=step)

    bursitis = PLANS["book_assessment"]
    page.goto("/")
    yield "landing"
    start(page)
    yield "emergency"
    yield error_of("emergency")
    tick(page, "emergency", set())
    next_screen()
    yield "doctor"
    tick(page, "doctor", set())
    next_screen()
    yield "about_you"
    page.get_by_label("How old are you?").fill("old")
    yield error_of("about_you")
    answer_screen(page, bursitis)
    next_screen()
    yield "where"
    yield error_of("where")
    answer_screen(page, bursitis)
    next_screen()
    yield "more_hip"
    yield error_of("more_hip")
    answer_screen(page, bursitis)
    next_screen()
    yield "feet"
    answer_screen(page, bursitis)
    next_screen()
    yield "duration"
    yield error_of("duration")
    answer_screen(page, bursitis)
    next_screen()
    yield "intensity"
    yield error_of("intensity")
    answer_screen(page, bursitis)
    next_screen()
    yield "enjoyment"
    answer_screen(page, bursitis)
    next_screen()
    yield "activity"
    answer_screen(page, bursitis)
    next_screen()
    yield "contact"
    page.get_by_label("Your name").fill("Aroha")
    yield error_of("contact")
    page.get_by_label("Your name").fill("")
    continue_(page)
    page.wait_for_url("**/result/**")
    yield "result-book_assessment"
    page.get_by_role("link", name="Ask for an appointment").click()
    yield "booking-request"
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator(".error-summary")).to_be_visible()
    yield "booking-request-errors"
    page.locator("label", has_text="Tauranga").click()
    page.locator("label", has_text="Tuesday").click()
    page.locator("label", has_text="Morning").click()
    page.get_by_label("Your name").fill("Aroha Smith")
    page.get_by_label("Phone").fill("021 123 4567")
    page.locator("label", has_text="I agree").click()
    page.get_by_role("button", name="Send my request").click()
    yield "booking-confirmation"
    page.goto("/check/restart/")
    yield "start-again"
    refused_url = ""
    for disposition in ("self_care", "see_gp_soon", "see_doctor_today", "emergency"):
        run(page, PLANS[disposition])
        yield f"result-{disposition}"
        refused_url = page.url + "book/"
    page.goto(refused_url)
    yield "booking-not-offered"


PAGE_HEIGHT_JS = "() => document.documentElement.scrollHeight"
BOTTOM_JS = "selector => document.querySelector(selector).getBoundingClientRect().bottom + window.scrollY"


def check_phone_layout(page: Page, name: str) -> list[str]:
    """At 390 x 844: what must be on the first screen is, and no question screen runs past 1.5 screens."""
    problems = []
    if name == "landing":
        for selector in (".btn-start", ".urgent-note"):
            bottom = page.evaluate(BOTTOM_JS, selector)
            if bottom > PHONE["height"]:
                problems.append(f"landing: {selector} ends at {bottom:.0f}px, below the first {PHONE['height']}px")
    if page.url.split("?")[0].rstrip("/").rsplit("/", 2)[-2] == "check" or name == "start-again":
        height = page.evaluate(PAGE_HEIGHT_JS)
        if height > MAX_SCREEN_HEIGHT:
            problems.append(f"{name}: {height}px tall at 390 wide (limit {MAX_SCREEN_HEIGHT})")
    if name.startswith("result-") and page.locator(".condition h3").count():
        bottom = page.evaluate(BOTTOM_JS, ".condition h3")
        if bottom > PHONE["height"]:
            problems.append(f"{name}: the top suggestion ends at {bottom:.0f}px, below the first screen")
    return problems


def check_page(page: Page, name: str, axe: Axe) -> list[str]:
    problems = []
    page.wait_for_load_state("load")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]})
    if results.violations_count:
        problems.append(f"{name}: axe violations:\n{results.generate_report()}")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{name}: scrolls sideways by {overflow}px")
    small = page.evaluate(TAP_TARGETS_JS)
    if small:
        problems.append(f"{name}: tap targets under {MIN_TARGET}px: {small}")
    return problems


def save_screenshot(page: Page, name: str, viewport: str) -> None:
    png = page.screenshot(full_page=False)
    # Fewer colours keep the committed PNGs small; the pages use few anyway.
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOT_DIR / f"{viewport}-{name}.png", optimize=True)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_page_is_accessible_fits_the_screen_and_is_light(browser, live_server, viewport, screenshots_enabled):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE if viewport == "phone" else DESKTOP)
    page = context.new_page()
    axe = Axe()
    problems: list[str] = []
    visits: list[Visit] = []
    for name in walk(page):
        page.wait_for_load_state("load")
        raw, transferred = page_weight(page)
        visits.append(Visit(name, raw, transferred))
        # Under budget even uncompressed, so the figure holds behind any server setup.
        if raw >= MAX_PAGE_BYTES:
            problems.append(f"{name}: {raw} bytes uncompressed, {transferred} compressed (limit {MAX_PAGE_BYTES})")
        problems.extend(check_page(page, name, axe))
        if viewport == "phone":
            problems.extend(check_phone_layout(page, name))
        if screenshots_enabled and (name in SCREENSHOT_PAGES or os.environ.get("SAVE_ALL_SCREENSHOTS")):
            save_screenshot(page, name, viewport)
    context.close()
    assert len(visits) == 29
    if screenshots_enabled and viewport == "phone":
        lines = ["| Page | Transferred (KB) | Uncompressed (KB) |", "| --- | ---: | ---: |"]
        lines += [f"| {v.name} | {v.transferred / 1024:.1f} | {v.raw / 1024:.1f} |" for v in visits]
        (SCREENSHOT_DIR / "page-weights.md").write_text("\n".join(lines) + "\n")
    assert not problems, "\n".join(problems)
