"""The self-check end to end in Chromium: outcomes, adaptive questions, navigation, no JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from triage.models import Submission

from .journey import FIRST_HEADING, PLANS, Plan, answer_screen, choose, continue_, run, start, step_of, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RESULT_HEADINGS = {
    "emergency": "Call 111 now, or go to the nearest emergency department",
    "see_doctor_today": "See a doctor today",
    "see_gp_soon": "See a GP or physiotherapist in the next few days",
    "book_assessment": "Book a gait and biomechanical assessment",
    "self_care": "You can look after this at home for now",
}
# The follow-up questions of the groin and of the outside of the hip (not the where-it-hurts items).
GROIN_AND_OUTER_HIP_FOLLOW_UPS = (
    "clicking_catching",
    "pain_deep_flexion_twisting",
    "pain_lying_on_side",
    "outer_hip_tenderness",
    "pain_walking_running_stairs",
)


def assert_result(page: Page, disposition: str) -> Submission:
    expect(page.get_by_role("heading", level=1)).to_have_text(RESULT_HEADINGS[disposition])
    submission = Submission.objects.get(token=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert submission.disposition == disposition
    expect(page.locator(".reference")).to_have_text(submission.reference)
    return submission


def no_resubmission_prompt(page: Page) -> None:
    """The page came from a GET: Chrome's "Confirm form resubmission" page never shows."""
    assert "ERR_CACHE_MISS" not in page.content()
    kind = page.evaluate("performance.getEntriesByType('navigation')[0].type")
    assert kind in {"navigate", "back_forward", "reload"}, kind


@pytest.mark.parametrize("disposition", list(PLANS))
def test_each_outcome_can_be_reached_and_shows_its_reference(page: Page, disposition: str):
    run(page, PLANS[disposition])
    assert_result(page, disposition)


def test_a_classic_hip_bursitis_journey_answers_at_most_15_questions(page: Page):
    seen = run(page, PLANS["book_assessment"])
    answered = sum(count for _step, count in seen)
    assert answered <= 15, seen
    assert [step for step, _count in seen if step.startswith("more_")] == ["more_hip"]
    submission = assert_result(page, "book_assessment")
    assert submission.suggestions.first().condition_id == "hip-bursitis"


def test_a_back_only_journey_never_sees_the_groin_or_outer_hip_questions(page: Page):
    plan = Plan(yes=frozenset({"low_back_buttock_pain", "difficulty_bending_twisting_standing"}))
    start(page)
    while step_of(page) is not None:
        content = page.content()
        for code in GROIN_AND_OUTER_HIP_FOLLOW_UPS:
            assert code not in content, (step_of(page), code)
        answer_screen(page, plan)
        step = step_of(page)
        continue_(page)
        page.wait_for_function("step => !location.pathname.endsWith('/' + step + '/')", arg=step)
    submission = Submission.objects.get(token=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert not set(GROIN_AND_OUTER_HIP_FOLLOW_UPS) & set(submission.answers)  # not asked: left out


def test_the_result_shows_the_clinic_chosen_on_the_way(page: Page):
    run(page, PLANS["book_assessment"])
    submission = assert_result(page, "book_assessment")
    assert submission.clinic.name == "Tauranga"
    clinics = page.locator(".clinic-list li")
    expect(clinics).to_have_count(1)
    expect(clinics.first).to_contain_text("Tauranga")


def test_an_emergency_tick_stops_the_questions_at_once(page: Page):
    start(page)
    tick(page, "emergency", {"bladder_bowel_change"})
    continue_(page)
    page.wait_for_url("**/result/**")
    assert_result(page, "emergency")
    expect(page.get_by_role("link", name="Call 111")).to_have_attribute("href", "tel:111")


def test_none_of_these_with_a_tick_is_refused_with_a_clear_error(nojs_page: Page):
    start(nojs_page)
    choose(nojs_page, "emergency-ticked", "none")
    choose(nojs_page, "emergency-ticked", "major_trauma")
    continue_(nojs_page)
    expect(nojs_page.locator(".error-summary")).to_contain_text("You ticked “None of these apply” and something else")
    expect(nojs_page.locator("input[value='major_trauma']")).to_be_checked()
    assert Submission.objects.count() == 0


def test_with_javascript_none_of_these_clears_the_ticks_and_a_tick_clears_none(page: Page):
    start(page)
    choose(page, "emergency-ticked", "major_trauma")
    choose(page, "emergency-ticked", "none")
    expect(page.locator("input[value='major_trauma']")).not_to_be_checked()
    choose(page, "emergency-ticked", "saddle_numbness")
    expect(page.locator("input[value='none']")).not_to_be_checked()


def test_the_browser_back_button_keeps_the_answers_already_given(page: Page):
    start(page)
    tick(page, "emergency", set())
    continue_(page)
    tick(page, "doctor", set())
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    page.go_back()  # the browser's own Back button
    no_resubmission_prompt(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Do any of these apply to you?")
    expect(page.locator("input[name='doctor-ticked'][value='none']")).to_be_checked()
    page.get_by_role("link", name="Back").click()  # the page's Back link, at the top
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_HEADING)
    expect(page.locator("input[name='emergency-ticked'][value='none']")).to_be_checked()


def test_back_after_a_validation_error_lands_on_the_previous_screen_without_a_resubmission_prompt(page: Page):
    start(page)
    tick(page, "emergency", set())
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Do any of these apply to you?")
    continue_(page)  # nothing chosen: an error
    expect(page.locator(".error-summary")).to_be_visible()
    page.go_back()
    no_resubmission_prompt(page)
    if step_of(page) == "doctor":  # the same screen before the error, then the one before it
        page.go_back()
        no_resubmission_prompt(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_HEADING)
    expect(page.locator("input[name='emergency-ticked'][value='none']")).to_be_checked()
    page.go_forward()
    no_resubmission_prompt(page)
    page.reload()
    no_resubmission_prompt(page)


def test_back_from_the_result_shows_the_last_screen_with_its_answers(page: Page):
    run(page, PLANS["book_assessment"])
    submission = assert_result(page, "book_assessment")
    page.go_back()
    no_resubmission_prompt(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic and contact details")
    expect(page.get_by_label("Which clinic would suit you best?")).to_have_value(str(submission.clinic_id))
    page.go_forward()
    no_resubmission_prompt(page)
    assert_result(page, "book_assessment")
    # The same answers again store no second result.
    page.go_back()
    continue_(page)
    page.wait_for_url("**/result/**")
    assert Submission.objects.count() == 1


def test_start_again_asks_first_and_no_keeps_the_answers(page: Page):
    start(page)
    tick(page, "emergency", set())
    continue_(page)
    page.get_by_role("link", name="Start again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start again and clear your answers?")
    page.get_by_role("link", name="No, go back to my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Do any of these apply to you?")
    page.get_by_role("link", name="Start again").click()
    page.get_by_role("button", name="Yes, start again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_HEADING)
    expect(page.locator("input[name='emergency-ticked']:checked")).to_have_count(0)


def test_a_reload_mid_way_keeps_the_screen(page: Page):
    start(page)
    tick(page, "emergency", set())
    continue_(page)
    # Reload the next screen once it has loaded: reloading mid-navigation detaches Chromium's page.
    expect(page).to_have_url(re.compile(r"/check/doctor/$"))
    page.wait_for_load_state("load")
    page.reload()
    no_resubmission_prompt(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Do any of these apply to you?")


def test_an_invalid_screen_moves_focus_to_the_error_summary_whose_link_reaches_the_answer(page: Page):
    start(page)
    continue_(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Tick each one that applies, or tick “None of these apply”.")
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#id_emergency-ticked_0")


def test_every_answer_control_carries_its_question_code(page: Page):
    start(page)
    values = page.locator("input[name='emergency-ticked']").evaluate_all("els => els.map(e => e.value)")
    assert "saddle_numbness" in values and values[-1] == "none"
    tick(page, "emergency", set())
    continue_(page)
    tick(page, "doctor", set())
    continue_(page)
    names = page.locator("input[type=radio]").evaluate_all("els => els.map(e => e.name)")
    assert "about_you-cancer_history" in names and "about_you-accident_onset" in names


@pytest.mark.parametrize("disposition", list(PLANS))
def test_every_outcome_works_without_javascript(nojs_page: Page, disposition: str):
    run(nojs_page, PLANS[disposition])
    assert_result(nojs_page, disposition)


def test_without_javascript_the_body_diagram_stays_hidden_and_the_checklist_works(nojs_page: Page):
    start(nojs_page)
    for step in ("emergency", "doctor"):
        tick(nojs_page, step, set())
        continue_(nojs_page)
    continue_(nojs_page)  # about you: all optional but the yes/no questions
    if step_of(nojs_page) == "about_you":
        answer_screen(nojs_page, Plan())
        continue_(nojs_page)
    expect(nojs_page.locator("[data-body-map]")).to_be_hidden()
    expect(nojs_page.locator("input[name='where-ticked'][value='groin_pain']")).to_be_visible()
