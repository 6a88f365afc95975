"""A staff member's sign-in with a second factor, in a real browser at 1280 x 900.

Password, then setting up the app (QR code, then a code the test computes
from the device key, as the phone would), the recovery codes, the admin;
signing out and in again with a recovery code, which works once. The set-up
and code pages have 0 axe-core violations (WCAG 2.0-2.2 A/AA) and a code box
a busy receptionist cannot miss. Screenshots go to pytest's tmp_path (and to
docs/screenshots/ with SAVE_SCREENSHOTS=1).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a-long-staff-passphrase"


@pytest.fixture
def mfa_on(settings):
    settings.REQUIRE_STAFF_MFA = True


@pytest.fixture
def receptionist(mfa_on, django_user_model):
    return django_user_model.objects.create_superuser("reception", "r@example.com", PASSWORD)


@pytest.fixture
def page(browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def shoot(page: Page, name: str, folder: Path, save_to_docs: bool) -> None:
    page.screenshot(path=folder / f"staff-{name}.png", full_page=True)
    if save_to_docs:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / f"desktop-staff-{name}.png")


def axe_violations(page: Page) -> str:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return results.generate_report() if results.violations_count else ""


def sign_in_with_password(page: Page) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("reception")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("Thanks for spending some quality time")).to_be_visible()


def assert_easy_code_box(page: Page, label: str, inputmode: str) -> None:
    box = page.get_by_label(label)
    expect(box).to_be_visible()
    if inputmode == "numeric":
        expect(box).to_be_focused()  # the first thing on the page: type straight away
    expect(box).to_have_attribute("autocomplete", "one-time-code")
    expect(box).to_have_attribute("inputmode", inputmode)
    size = box.evaluate("el => ({font: parseFloat(getComputedStyle(el).fontSize), height: el.offsetHeight})")
    assert size["font"] >= 24, size
    assert size["height"] >= 44, size


def test_a_receptionist_sets_up_the_app_signs_in_and_uses_a_recovery_code_once(
    page, live_server, receptionist, tmp_path, screenshots_enabled
):
    # 1. The password alone leads to setting up the app: a QR code and a key.
    sign_in_with_password(page)
    expect(page).to_have_url(re.compile(r"/staff/sign-in-code/set-up/\?next=%2Fadmin%2F$"))
    expect(page.get_by_role("heading", name="Set up your sign-in code")).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_easy_code_box(page, "6-digit code from your app", "numeric")
    assert axe_violations(page) == ""
    shoot(page, "mfa-set-up", tmp_path, screenshots_enabled)

    # 2. The code the app would show now confirms it; ten recovery codes are shown once.
    device = TOTPDevice.objects.get(user=receptionist)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.get_by_label("6-digit code from your app").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Save these recovery codes now")).to_be_visible()
    codes = page.locator(".mfa-codes code").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == ""
    shoot(page, "mfa-recovery-codes", tmp_path, screenshots_enabled)
    page.get_by_role("link", name="I have saved them: continue").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="Self-checks, bookings and clinical content")).to_be_visible()
    sign_out(page)

    # 3. Next time: password, then the code page; no phone, so a recovery code.
    sign_in_with_password(page)
    expect(page).to_have_url(re.compile(r"/staff/sign-in-code/\?next=%2Fadmin%2F$"))
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    assert_easy_code_box(page, "6-digit code from your app", "numeric")
    assert axe_violations(page) == ""
    shoot(page, "mfa-code", tmp_path, screenshots_enabled)
    page.get_by_text("No phone with you? Use a recovery code").click()
    assert_easy_code_box(page, "Recovery code", "text")
    assert axe_violations(page) == ""
    shoot(page, "mfa-code-recovery", tmp_path, screenshots_enabled)
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Sign in with a recovery code").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    sign_out(page)

    # 4. The same recovery code does not work twice; the page says so, by the box.
    sign_in_with_password(page)
    page.get_by_text("No phone with you? Use a recovery code").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Sign in with a recovery code").click()
    expect(page.get_by_text("That recovery code is not right, or has already been used")).to_be_visible()
    expect(page.get_by_label("Recovery code")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == ""
    shoot(page, "mfa-code-used-twice", tmp_path, screenshots_enabled)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/staff/sign-in-code/"))
