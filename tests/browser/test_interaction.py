"""Keyboard-only use, the body diagram, the pain scale, booking and printing, in Chromium."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from booking.models import BookingRequest
from triage.models import Submission

from .journey import PLANS, STEP_TITLES, Plan, answer_yes_no, choose, continue_, run, start, step_codes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOCUSED_JS = """
() => {
  const el = document.activeElement;
  const shows = s => s && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none');
  const own = getComputedStyle(el);
  const wrapper = el.closest('.form-check-inline');
  // A visually hidden radio (the 0 to 10 scale) shows its focus on the box around it.
  const around = wrapper && getComputedStyle(wrapper);
  const visible = own.opacity === '0' ? shows(around) : shows(own) || shows(around);
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', value: el.value || '',
          checked: !!el.checked, text: (el.textContent || '').trim(), focusVisible: el === document.body || visible};
}
"""


def keyboard_fill(
    page: Page,
    *,
    submit: str,
    radios: dict[str, str] | None = None,
    checks: frozenset[tuple[str, str]] = frozenset(),
    texts: dict[str, str] | None = None,
    max_presses: int = 200,
) -> None:
    """Fill the page's form with the keyboard alone, then press Enter on ``submit``.

    Tab moves between controls; in a radio group the arrow keys move the
    choice (as in every browser) and Space confirms it; Space ticks a
    checkbox; text is typed. Every focused control must show its focus.
    """
    radios, texts = radios or {}, texts or {}
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        assert focused["focusVisible"], f"no visible focus on {focused}"
        if focused["type"] == "radio" and focused["name"] in radios:
            for _step in range(12):
                if page.evaluate(FOCUSED_JS)["value"] == radios[focused["name"]]:
                    break
                page.keyboard.press("ArrowRight")
            page.keyboard.press("Space")
            assert page.evaluate(FOCUSED_JS)["checked"]
        elif focused["type"] == "checkbox" and (focused["name"], focused["value"]) in checks:
            if not focused["checked"]:
                page.keyboard.press("Space")
        elif focused["tag"] in ("input", "textarea") and focused["name"] in texts:
            page.keyboard.type(texts[focused["name"]])
        elif focused["tag"] in ("button", "a") and focused["text"] == submit:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"never reached the {submit!r} button")


def yes_no(step: str, yes: frozenset[str]) -> dict[str, str]:
    return {f"{step}-{code}": "yes" if code in yes else "no" for code in step_codes(step)}


def test_a_whole_journey_and_booking_can_be_done_with_the_keyboard_alone(page: Page):
    plan = PLANS["book_assessment"]
    page.goto("/")
    keyboard_fill(page, submit="Start the self-check")
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["safety"])
    for step in ("safety", "symptoms", "feet"):
        keyboard_fill(page, submit="Continue", radios=yes_no(step, plan.yes))
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["duration"])
    keyboard_fill(
        page,
        submit="Continue",
        radios={"duration-pain_duration": plan.duration, "duration-pain_intensity": plan.intensity},
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["contact"])
    keyboard_fill(page, submit="See my result")
    page.wait_for_url("**/result/**")
    submission = Submission.objects.get(token=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert submission.disposition == "book_assessment"
    assert submission.pain_intensity == 6
    keyboard_fill(page, submit="Ask for an appointment")
    clinic_id = str(BookingRequest._meta.get_field("clinic").related_model.objects.get(slug="hamilton").pk)
    keyboard_fill(
        page,
        submit="Send my request",
        radios={"clinic": clinic_id},
        checks=frozenset({("preferred_days", "wed"), ("preferred_times", "late"), ("consent", "on")}),
        texts={"name": "Aroha Smith", "phone": "021 123 4567"},
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request has been sent")
    booking = BookingRequest.objects.get()
    assert booking.clinic.slug == "hamilton"
    assert booking.preferred_days == ["wed"] and booking.preferred_times == ["late"]


def test_the_pain_scale_has_labelled_ends_and_works_with_arrow_keys(page: Page):
    start(page)
    answer_yes_no(page, "safety", frozenset())
    continue_(page)
    answer_yes_no(page, "symptoms", frozenset())
    continue_(page)
    answer_yes_no(page, "feet", frozenset())
    continue_(page)
    # PEG item 1's wording (issue 11): average pain over the past week.
    scale = page.get_by_role("group", name="On average over the past week, how bad has your pain been?")
    expect(scale).to_have_accessible_description("0 means no pain at all. 10 means the worst pain you can imagine.")
    expect(page.get_by_text("0: no pain")).to_be_visible()
    expect(page.get_by_text("10: worst pain imaginable")).to_be_visible()
    scale.get_by_role("radio", name="0", exact=True).focus()
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(scale.get_by_role("radio", name="4", exact=True)).to_be_checked()


def test_the_body_diagram_ticks_and_clears_the_matching_questions(page: Page):
    start(page)
    answer_yes_no(page, "safety", frozenset())
    continue_(page)
    body_map = page.locator("[data-body-map]")
    expect(body_map).to_be_visible()
    groin_yes = page.locator("input[name='symptoms-groin_pain'][value='yes']")
    page.locator("g[data-region='groin']").click()  # a tap on the figure
    expect(groin_yes).to_be_checked()
    expect(body_map.get_by_role("button", name="Groin")).to_have_attribute("aria-pressed", "true")
    expect(body_map.locator("[data-body-map-status]")).to_contain_text("Answered yes")

    back_yes = page.locator("input[name='symptoms-low_back_buttock_pain'][value='yes']")
    body_map.get_by_role("button", name="Lower back").click()
    body_map.get_by_role("button", name="Buttock").click()
    expect(back_yes).to_be_checked()
    body_map.get_by_role("button", name="Lower back").click()  # the buttock still hurts
    expect(back_yes).to_be_checked()
    body_map.get_by_role("button", name="Buttock").click()  # neither now: the question is open again
    expect(back_yes).not_to_be_checked()
    expect(page.locator("input[name='symptoms-low_back_buttock_pain'][value='no']")).not_to_be_checked()

    body_map.get_by_role("button", name="Outside of the hip").focus()
    page.keyboard.press("Space")
    # Only where it hurts (issue 11): the pressing test stays a question the person answers.
    expect(page.locator("input[name='symptoms-outer_hip_pain'][value='yes']")).to_be_checked()
    expect(page.locator("input[name='symptoms-outer_hip_tenderness'][value='yes']")).not_to_be_checked()

    choose(page, "symptoms-groin_pain", "no")  # answering the question updates the figure
    expect(body_map.get_by_role("button", name="Groin")).to_have_attribute("aria-pressed", "false")


def test_the_booking_request_works_without_javascript_and_preselects_the_clinic(nojs_page: Page):
    run(nojs_page, PLANS["book_assessment"])
    nojs_page.get_by_role("link", name="Ask for an appointment").click()
    expect(nojs_page.get_by_role("radio", name="Tauranga (Bay of Plenty)")).to_be_checked()
    nojs_page.get_by_role("button", name="Send my request").click()
    expect(nojs_page.locator(".error-summary")).to_contain_text("Tick at least one day that suits you.")
    expect(nojs_page.get_by_role("radio", name="Tauranga (Bay of Plenty)")).to_be_checked()
    nojs_page.locator("label", has_text="Friday").click()
    nojs_page.get_by_text("Afternoon (12 pm to 4 pm)").click()
    nojs_page.get_by_label("Your name").fill("Aroha Smith")
    nojs_page.get_by_label("Email").fill("aroha@example.com")
    nojs_page.locator("label", has_text="I agree").click()
    nojs_page.get_by_role("button", name="Send my request").click()
    expect(nojs_page.get_by_role("heading", level=1)).to_have_text("Your request has been sent")
    expect(nojs_page.get_by_text("does not list a phone number for Tauranga")).to_be_visible()
    assert BookingRequest.objects.get().clinic.name == "Tauranga"


@pytest.mark.parametrize("plan_name", ["book_assessment", "self_care", "emergency", "everything"])
def test_the_result_prints_on_one_a4_page(page: Page, plan_name: str):
    if plan_name == "everything":
        plan = Plan(yes=frozenset(step_codes("symptoms") + step_codes("feet")), duration="over_12_weeks")
    else:
        plan = PLANS[plan_name]
    run(page, plan)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1, f"{plan_name} result prints on {len(pdf.pages)} pages"
    text = pdf.pages[0].extract_text()
    submission = Submission.objects.get(token=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert submission.reference in text
