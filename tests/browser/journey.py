"""Driving the self-check in a browser: answers for each outcome, screen by screen.

The screens come from the questions (triage/screens.py), so the driver reads
each screen's address and answers what that screen asks: a checklist's items
are ticked by their question code (the checkbox's value), a yes/no question
is answered by its code (the radio's name).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Page, expect

CHECKLISTS = ("emergency", "doctor", "where", "feet")
ONE_CHOICE = {
    "duration": "pain_duration",
    "intensity": "pain_intensity",
    "enjoyment": "enjoyment_interference",
    "activity": "activity_interference",
}


@dataclass(frozen=True)
class Plan:
    """What to answer: codes answered yes (everything else no), the measures, the clinic."""

    yes: frozenset[str] = field(default_factory=frozenset)
    age: str = ""
    duration: str = "under_6_weeks"
    intensity: str = "3"
    interference: str = "2"
    clinic: str | None = None


PLANS = {
    "emergency": Plan(yes=frozenset({"saddle_numbness"})),
    "see_doctor_today": Plan(yes=frozenset({"fever_unwell"})),
    "see_gp_soon": Plan(yes=frozenset({"cancer_history", "groin_pain", "clicking_catching"}), age="45"),
    # A classic hip bursitis: pain on the outside of the hip, worse lying on it, tender to press, flat feet.
    "book_assessment": Plan(
        yes=frozenset(
            {
                "outer_hip_pain",
                "pain_lying_on_side",
                "outer_hip_tenderness",
                "pain_walking_running_stairs",
                "flat_feet_pronation",
            }
        ),
        age="52",
        duration="over_12_weeks",
        intensity="6",
        interference="5",
        clinic="Tauranga (Bay of Plenty)",
    ),
    "self_care": Plan(),
}

FIRST_HEADING = "Do you have any of these?"


def step_of(page: Page) -> str | None:
    """The screen the page shows (its address), or None off the questionnaire."""
    path = page.url.split("?", 1)[0].rstrip("/")
    parts = path.rsplit("/", 2)
    return parts[-1] if parts[-2].endswith("check") else None


def choose(page: Page, name: str, value: str) -> None:
    """Tap an answer the way a person does: on its label, which covers the whole answer box."""
    control = page.locator(f"input[name='{name}'][value='{value}']")
    page.locator(f"label[for='{control.get_attribute('id')}']").click()
    expect(control).to_be_checked()


def tick(page: Page, step: str, codes: set[str]) -> int:
    """Tick the checklist items of ``codes`` shown on the screen, or "none" when there are none."""
    shown = page.locator(f"input[name='{step}-ticked']").evaluate_all("els => els.map(e => e.value)")
    chosen = [code for code in shown if code in codes] or ["none"]
    for code in chosen:
        choose(page, f"{step}-ticked", code)
    return 1


def answer_yes_no(page: Page, step: str, yes: frozenset[str]) -> int:
    names = page.locator(f"input[type=radio][name^='{step}-']").evaluate_all(
        "els => [...new Set(els.map(e => e.name))]"
    )
    for name in names:
        choose(page, name, "yes" if name.split("-", 1)[1] in yes else "no")
    return len(names)


def answer_screen(page: Page, plan: Plan) -> int:
    """Answer the screen shown as ``plan`` says; returns how many questions the person answered."""
    step = step_of(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if step in CHECKLISTS:
        return tick(page, step, set(plan.yes))
    if step in ONE_CHOICE:
        value = {"duration": plan.duration, "intensity": plan.intensity}.get(step, plan.interference)
        if not value:
            return 0
        choose(page, f"{step}-{ONE_CHOICE[step]}", value)
        return 1
    if step == "contact":
        if plan.clinic:
            page.get_by_label("Which clinic would suit you best?").select_option(label=plan.clinic)
            return 1
        return 0
    answered = 0
    if step == "about_you" and plan.age:
        page.get_by_label("How old are you?").fill(plan.age)
        answered += 1
    return answered + answer_yes_no(page, step, plan.yes)


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").or_(page.get_by_role("button", name="See my result")).click()


def start(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Start the self-check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_HEADING)


def run(page: Page, plan: Plan) -> list[tuple[str, int]]:
    """From the landing page to the result page; returns each screen seen with the questions answered on it."""
    start(page)
    seen: list[tuple[str, int]] = []
    while (step := step_of(page)) is not None:
        seen.append((step, answer_screen(page, plan)))
        continue_(page)
        page.wait_for_function("step => !location.pathname.endsWith('/' + step + '/')", arg=step)
    page.wait_for_url("**/result/**")
    return seen
