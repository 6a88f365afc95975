"""Keyboard-only use, the body diagram, the pain scale, booking and printing, in Chromium."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from booking.models import BookingRequest
from triage.models import Submission
from triage.selectors import ruleset_get

from .journey import (
    CHECKLISTS,
    FIRST_HEADING,
    ONE_CHOICE,
    PLANS,
    Plan,
    answer_screen,
    choose,
    continue_,
    run,
    start,
    step_of,
)

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


def keyboard_screen(page: Page, plan: Plan) -> None:
    """Answer the screen shown as ``plan`` says, with the keyboard alone, and press its button."""
    step = step_of(page)
    radios: dict[str, str] = {}
    checks: set[tuple[str, str]] = set()
    texts: dict[str, str] = {}
    if step in CHECKLISTS:
        shown = page.locator(f"input[name='{step}-ticked']").evaluate_all("els => els.map(e => e.value)")
        checks = {(f"{step}-ticked", code) for code in shown if code in plan.yes} or {(f"{step}-ticked", "none")}
    elif step in ONE_CHOICE:
        value = {"duration": plan.duration, "intensity": plan.intensity}.get(step, plan.interference)
        radios = {f"{step}-{ONE_CHOICE[step]}": value} if value else {}
    elif step != "contact":
        names = page.locator("input[type=radio]").evaluate_all("els => [...new Set(els.map(e => e.name))]")
        radios = {name: "yes" if name.split("-", 1)[1] in plan.yes else "no" for name in names}
        if step == "about_you" and plan.age:
            texts["about_you-age"] = plan.age
    submit = "See my result" if step == "contact" else "Continue"
    keyboard_fill(page, submit=submit, radios=radios, checks=frozenset(checks), texts=texts)


@pytest.mark.parametrize("disposition", list(PLANS))
def test_every_outcome_can_be_reached_with_the_keyboard_alone(page: Page, disposition: str):
    plan = PLANS[disposition]
    page.goto("/")
    keyboard_fill(page, submit="Start the self-check")
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_HEADING)
    while step_of(page) is not None:
        keyboard_screen(page, plan)
    page.wait_for_url("**/result/**")
    submission = Submission.objects.get(token=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert submission.disposition == disposition
    if disposition != "book_assessment":
        return
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


def reach(page: Page, step: str, plan: Plan | None = None) -> None:
    """Answer screens (as ``plan`` says) until ``step`` is shown."""
    plan = plan or Plan(yes=frozenset({"groin_pain"}))
    start(page)
    while step_of(page) != step:
        answer_screen(page, plan)
        current = step_of(page)
        continue_(page)
        page.wait_for_function("step => !location.pathname.endsWith('/' + step + '/')", arg=current)


def test_the_pain_scale_is_one_list_with_labelled_ends_read_once_and_works_with_arrow_keys(page: Page):
    reach(page, "intensity")
    scale = page.get_by_role("group", name="On average over the past week, how bad has your pain been?")
    expect(scale).to_have_accessible_description("0 means no pain at all. 10 means the worst pain you can imagine.")
    expect(page.get_by_role("radio", name="0: no pain")).to_be_visible()
    expect(page.get_by_role("radio", name="10: the worst pain you can imagine")).to_be_visible()
    # One column: every number sits under the one before it (never 0-5 then 6-10 side by side).
    lefts = page.locator(".answers-pain_intensity .answer").evaluate_all(
        "els => els.map(e => Math.round(e.getBoundingClientRect().left))"
    )
    assert len(lefts) == 11 and len(set(lefts)) == 1
    # The question is said once: the legend is the page's only heading, and no other text repeats it.
    assert page.get_by_text("how bad has your pain been").count() == 1
    page.get_by_role("radio", name="0: no pain").focus()
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="4", exact=True)).to_be_checked()


def test_the_body_diagram_ticks_and_clears_the_where_it_hurts_checklist(page: Page):
    reach(page, "where")
    body_map = page.locator("[data-body-map]")
    expect(body_map).to_be_visible()
    groin = page.locator("input[name='where-ticked'][value='groin_pain']")
    page.locator("g[data-region='groin']").click()  # a tap on the figure
    expect(groin).to_be_checked()
    expect(page.locator("g[data-region='groin']")).to_have_class("body-region is-marked")
    back = page.locator("input[name='where-ticked'][value='low_back_buttock_pain']")
    page.locator("g[data-region='lower_back_buttock'] rect").click()  # the lower back
    expect(back).to_be_checked()
    expect(page.locator("g[data-region='lower_back_buttock']")).to_have_class("body-region is-marked")
    page.locator("g[data-region='lower_back_buttock'] ellipse").first.click()  # a buttock: the same question
    expect(back).not_to_be_checked()
    choose(page, "where-ticked", "outer_hip_pain")  # ticking the list shades the figure
    expect(page.locator("g[data-region='hip']")).to_have_class("body-region is-marked")
    choose(page, "where-ticked", "none")  # "none of these" clears every area
    expect(groin).not_to_be_checked()
    expect(page.locator("g.is-marked")).to_have_count(0)


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
        symptoms = ruleset_get().questions_of_kind("symptom", "driver")
        plan = Plan(yes=frozenset(q.code for q in symptoms), duration="over_12_weeks")
    else:
        plan = PLANS[plan_name]
    run(page, plan)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1, f"{plan_name} result prints on {len(pdf.pages)} pages"
    text = pdf.pages[0].extract_text()
    submission = Submission.objects.get(token=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert submission.reference in text
