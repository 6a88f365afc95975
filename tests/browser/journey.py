"""Driving the self-check in a browser: answers for each outcome, step by step."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Page, expect

from triage.selectors import ruleset_get


@dataclass(frozen=True)
class Plan:
    """What to answer: codes answered yes (everything else no), duration, intensity, clinic."""

    yes: frozenset[str] = field(default_factory=frozenset)
    duration: str = "under_6_weeks"
    intensity: str = "3"
    clinic: str | None = None


PLANS = {
    "emergency": Plan(yes=frozenset({"saddle_numbness"})),
    "see_doctor_today": Plan(yes=frozenset({"fever_unwell"})),
    "book_assessment": Plan(
        yes=frozenset(
            {"pain_lying_on_side", "outer_hip_tenderness", "pain_walking_running_stairs", "flat_feet_pronation"}
        ),
        duration="over_12_weeks",
        intensity="6",
        clinic="Tauranga (Bay of Plenty)",
    ),
    "self_care": Plan(),
}

STEP_TITLES = {
    "safety": "Safety questions",
    "symptoms": "Where it hurts and how",
    "feet": "Your feet and how you move",
    "duration": "How long and how bad",
    "contact": "Your clinic and contact details",
}


def step_codes(step: str) -> list[str]:
    # The safety step asks the red flags, then context (a cancer history, an accident: issue 11).
    kinds = {"safety": ("emergency", "doctor_today", "context"), "symptoms": ("symptom",), "feet": ("driver",)}[step]
    return [q.code for q in ruleset_get().questions_of_kind(*kinds)]


def choose(page: Page, name: str, value: str) -> None:
    """Tap an answer the way a person does: on its label, which covers the whole answer box."""
    radio = page.locator(f"input[name='{name}'][value='{value}']")
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def answer_yes_no(page: Page, step: str, yes: frozenset[str]) -> None:
    for code in step_codes(step):
        choose(page, f"{step}-{code}", "yes" if code in yes else "no")


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").or_(page.get_by_role("button", name="See my result")).click()


def start(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Start the self-check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["safety"])


def run(page: Page, plan: Plan) -> None:
    """From the landing page to the result page."""
    start(page)
    answer_yes_no(page, "safety", plan.yes)
    continue_(page)
    red_flags = {q.code for q in ruleset_get().questions_of_kind("emergency", "doctor_today")}
    if plan.yes & red_flags:
        page.wait_for_url("**/result/**")
        return
    for step in ("symptoms", "feet"):
        expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES[step])
        answer_yes_no(page, step, plan.yes)
        continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["duration"])
    choose(page, "duration-pain_duration", plan.duration)
    choose(page, "duration-pain_intensity", plan.intensity)
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_TITLES["contact"])
    if plan.clinic:
        page.get_by_label("Which clinic would suit you best?").select_option(label=plan.clinic)
    continue_(page)
    page.wait_for_url("**/result/**")
