"""The self-check end to end in Chromium: outcomes, navigation, keyboard, no JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from triage.models import Submission

from .journey import PLANS, STEP_TITLES, answer_yes_no, continue_, run, start, step_codes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RESULT_HEADINGS = {
    "emergency": "Call 111 now, or go to the nearest emergency department",
    "see_doctor_today": "See a doctor today",
    "book_assessment": "Book a gait and biomechanical assessment",
    "self_care": "You can look after this at home for now",
}


def assert_result(page: Page, disposition: str) -> Submission:
    expect(page.get_by_role("heading", level=1)).to_have_text(RESULT_HEADINGS[disposition])
    submission = Submission.objects.get(token=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert submission.disposition == disposition
    expect(page.locator(".reference")).to_have_text(submission.reference)
    return submission


@pytest.mark.parametrize("disposition", list(PLANS))
def test_each_outcome_can_be_reached_and_shows_its_reference(page: Page, disposition: str):
    run(page, PLANS[disposition])
    assert_result(page, disposition)


def test_the_result_shows_the_clinic_chosen_on_the_way(page: Page):
    run(page, PLANS["book_assessment"])
    submission = assert_result(page, "book_assessment")
    assert submission.clinic.name == "Tauranga"
    clinics = page.locator(".clinic-list li")
    expect(clinics).to_have_count(1)
    expect(clinics.first).to_contain_text("Tauranga")


def test_an_emergency_answer_stops_the_questions_at_once(page: Page):
    start(page)
    answer_yes_no(page, "safety", frozenset({"bladder_bowel_change"}))
    continue_(page)
    page.wait_for_url("**/result/**")
    assert_result(page, "emergency")
    expect(page.get_by_role("link", name="Call 111")).to_have_attribute("href", "tel:111")


def test_back_keeps_the_answers_already_given(page: Page):
    start(page)
    answer_yes_no(page, "safety", frozenset())
    continue_(page)
    answer_yes_no(page, "symptoms", frozenset({"groin_pain"}))
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["feet"])
    page.go_back()  # the browser's own Back button
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["symptoms"])
    expect(page.locator("input[name='symptoms-groin_pain'][value='yes']")).to_be_checked()
    expect(page.locator("input[name='symptoms-clicking_catching'][value='no']")).to_be_checked()
    page.get_by_role("link", name="Back").click()  # the page's Back link
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["safety"])
    expect(page.locator("input[name='safety-saddle_numbness'][value='no']")).to_be_checked()


def test_a_reload_mid_way_keeps_the_step(page: Page):
    start(page)
    answer_yes_no(page, "safety", frozenset())
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["symptoms"])
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["symptoms"])
    expect(page.get_by_text("Step 2 of 5")).to_be_visible()


def test_an_invalid_step_moves_focus_to_the_error_summary(page: Page):
    start(page)
    continue_(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose yes or no for this question.")
    # Each error links to its question.
    summary.get_by_role("link").first.click()
    assert page.url.endswith(f"#div_id_safety-{step_codes('safety')[0]}")


@pytest.mark.parametrize("disposition", list(PLANS))
def test_every_outcome_works_without_javascript(nojs_page: Page, disposition: str):
    run(nojs_page, PLANS[disposition])
    assert_result(nojs_page, disposition)


def test_without_javascript_the_body_diagram_stays_hidden_and_the_questions_work(nojs_page: Page):
    start(nojs_page)
    answer_yes_no(nojs_page, "safety", frozenset())
    continue_(nojs_page)
    expect(nojs_page.locator("[data-body-map]")).to_be_hidden()
    expect(nojs_page.locator("input[name='symptoms-groin_pain'][value='yes']")).to_be_visible()
