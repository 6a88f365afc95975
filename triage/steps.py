"""The questionnaire's steps: the one place their names, titles and intros are written.

The wizard shows them, the PDF summary, the clinician's review page and the
FHIR Questionnaire group the answers by them; all read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import scoring


@dataclass(frozen=True)
class Step:
    name: str  # the wizard's step and the FHIR group's linkId: stable
    title: str
    intro: str = ""
    kinds: tuple[str, ...] = ()  # the question kinds it asks about; none for a step of its own fields


SAFETY = Step(
    "safety",
    "Safety questions",
    "First, these check for signs that need a doctor rather than a podiatrist. "
    'Answer each one, even if it seems unlikely. Open "Why we ask" under a question to see why it matters.',
    # Red flags, then context (a cancer history, an accident) that acts only through the escalation rules.
    scoring.SAFETY_KINDS,
)
SYMPTOMS = Step(
    "symptoms",
    "Where it hurts and how",
    "Answer for the pain you have now. If you are not sure, choose the answer that fits best.",
    (scoring.SYMPTOM,),
)
FEET = Step(
    "feet",
    "Your feet and how you move",
    "Your feet are the base of your body. The way they meet the ground can add strain to your hips and lower back.",
    (scoring.DRIVER,),
)
DURATION = Step("duration", "How long and how bad")
CONTACT = Step(
    "contact",
    "Your clinic and contact details",
    "This step is optional. You can stay anonymous and still see your result.",
)

STEPS = (SAFETY, SYMPTOMS, FEET, DURATION, CONTACT)
BY_NAME = {step.name: step for step in STEPS}
# The steps of yes/no questions, in the order they are asked.
QUESTION_STEPS = tuple(step for step in STEPS if step.kinds)
