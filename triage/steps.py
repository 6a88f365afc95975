"""The answer sections: how the answers are grouped after the patient has given them.

The patient answers on phone-first screens, one topic each (triage/screens.py).
The PDF summary, the clinician's review page and the FHIR Questionnaire group
those answers into fewer sections; this is the one place a section's name,
title and screens are written. Each section gathers whole screens, in the order
they are asked, and is titled in the words of those screens (a heading, not a
question), so what the clinician reads matches what the patient saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import scoring, screens


@dataclass(frozen=True)
class Step:
    """One answer section (called a step when the questionnaire had five pages)."""

    name: str  # the FHIR group's linkId: stable, whatever the title says
    label: Promise
    # The screens whose answers it gathers (follow-up screens by their prefix), in the order they are asked.
    screens: tuple[str, ...]
    kinds: tuple[str, ...] = ()  # the question kinds its screens ask about; none for a section of its own fields

    @property
    def title(self) -> str:
        """The title in the active language, as plain text (the FHIR resources are serialised as JSON)."""
        return str(self.label)

    def holds(self, screen_name: str) -> bool:
        """Whether ``screen_name``'s answers belong to this section."""
        return any(
            screen_name == name or (name.endswith("_") and screen_name.startswith(name)) for name in self.screens
        )


SAFETY = Step(
    "safety",
    _("Warning signs and about you"),
    (screens.EMERGENCY, screens.DOCTOR, screens.ABOUT_YOU),
    # Red flags, then context (a cancer history, an accident) that acts only through the escalation rules.
    scoring.SAFETY_KINDS,
)
SYMPTOMS = Step(
    "symptoms",
    _("Where you have pain"),
    (screens.WHERE, screens.FOLLOW_UP_PREFIX),
    (scoring.SYMPTOM,),
)
FEET = Step("feet", _("Your feet and the way you move"), (screens.FEET,), (scoring.DRIVER,))
DURATION = Step(
    "duration",
    _("How long, how bad, and what it gets in the way of"),
    (screens.DURATION, screens.INTENSITY, screens.ENJOYMENT, screens.ACTIVITY),
)
CONTACT = Step("contact", _("Clinic and contact details"), (screens.CONTACT,))

STEPS = (SAFETY, SYMPTOMS, FEET, DURATION, CONTACT)
BY_NAME = {step.name: step for step in STEPS}
# The sections of yes/no questions, in the order they are asked.
QUESTION_STEPS = tuple(step for step in STEPS if step.kinds)


def step_of_screen(screen_name: str) -> Step:
    """The section a screen's answers belong to."""
    return next(step for step in STEPS if step.holds(screen_name))
