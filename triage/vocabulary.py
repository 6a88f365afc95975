"""The scoring vocabulary: question kinds, dispositions, durations, answer ranges and the
escalation rules version 1 is scored with (LEGACY_RULES). Pure Python, no Django; split from
triage.scoring (which re-exports every name) to keep each module short.
"""

from __future__ import annotations

from .escalation import EscalationRule

# Question kinds (mirrors triage.models.QuestionKind).
EMERGENCY = "emergency"
DOCTOR_TODAY = "doctor_today"
SYMPTOM = "symptom"
DRIVER = "driver"
# Context or history (a cancer history, an accident): asked with the safety
# questions; a yes acts only through the escalation rules.
CONTEXT = "context"
KINDS = (EMERGENCY, DOCTOR_TODAY, SYMPTOM, DRIVER, CONTEXT)
SAFETY_KINDS = (EMERGENCY, DOCTOR_TODAY, CONTEXT)

# Dispositions (mirrors triage.models.Disposition), most urgent first.
DISPOSITION_EMERGENCY = "emergency"
DISPOSITION_SEE_DOCTOR_TODAY = "see_doctor_today"
DISPOSITION_SEE_GP_SOON = "see_gp_soon"
DISPOSITION_BOOK_ASSESSMENT = "book_assessment"
DISPOSITION_SELF_CARE = "self_care"

# Pain durations (mirrors triage.models.PainDuration).
DURATIONS = ("under_6_weeks", "6_to_12_weeks", "over_12_weeks")
# The clinic advises an assessment for pain that has lasted 6 weeks or more.
ASSESSMENT_DURATIONS = frozenset({"6_to_12_weeks", "over_12_weeks"})
# The reason code recorded when duration alone prompts an assessment.
DURATION_REASON = "pain_duration"

MAX_SUGGESTIONS = 3
INTENSITY_RANGE = range(0, 11)
# The two PEG interference questions share the intensity's 0-10 scale.
INTERFERENCE_RANGE = INTENSITY_RANGE
# Whole years; younger people are sent elsewhere before any question.
AGE_RANGE = range(16, 111)
# A yes here means ACC may cover treatment: it never changes the disposition.
ACCIDENT_QUESTION = "accident_onset"

# Version 1's disposition logic in the rules' vocabulary: rulesets published
# without rules of their own (version 1) are scored with these.
LEGACY_RULES = (
    EscalationRule(
        code="emergency_sign",
        disposition=DISPOSITION_EMERGENCY,
        when={"any_kind_yes": [EMERGENCY]},
        reason="You told us about a sign that needs emergency care now.",
        order=1,
    ),
    EscalationRule(
        code="doctor_today_sign",
        disposition=DISPOSITION_SEE_DOCTOR_TODAY,
        when={"any_kind_yes": [DOCTOR_TODAY]},
        reason="You told us about a sign a doctor should check today.",
        order=1,
    ),
    EscalationRule(
        code="condition_suggested",
        disposition=DISPOSITION_BOOK_ASSESSMENT,
        when={"condition_suggested": True},
        reason="Your answers may be consistent with a problem an assessment can look into.",
        order=1,
    ),
    EscalationRule(
        code="assessment_answer",
        disposition=DISPOSITION_BOOK_ASSESSMENT,
        when={"any_prompts_assessment": True},
        reason="You told us about something the clinic suggests having assessed.",
        order=2,
    ),
    EscalationRule(
        code=DURATION_REASON,
        disposition=DISPOSITION_BOOK_ASSESSMENT,
        when={"duration_in": sorted(ASSESSMENT_DURATIONS)},
        reason="Your pain has lasted 6 weeks or more.",
        order=3,
    ),
    EscalationRule(
        code="nothing_urgent",
        disposition=DISPOSITION_SELF_CARE,
        when={},
        reason="Your answers do not point to anything that needs an assessment now.",
        order=1,
    ),
)
