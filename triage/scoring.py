"""The clinical heart: turn a person's answers into a disposition and the
conditions their answers may be consistent with.

Pure Python with no Django imports: frozen dataclasses in (a Ruleset and the
Answers), a frozen Assessment out. That keeps it testable without a database,
fast enough to score 100,000 demo submissions in seconds, and the same code
behind the questionnaire, the ``assess`` command and any API.

How a condition is scored
-------------------------
Each condition has weights on symptoms and on foot drivers. Its score is

    (weights of the symptoms reported + weights of the drivers reported)
    / (weights of all the condition's symptoms)

capped at 1. Dividing by the condition's own symptom total keeps conditions
with more listed symptoms from being favoured. Drivers are not in the
denominator and count only once a symptom has matched, so a driver raises a
condition it is known to feed but never suggests one on its own. A condition
is suggested when its score reaches its threshold; at most three are
suggested, highest first.

Disposition: escalation rules, first match wins
-----------------------------------------------
The disposition comes from the ruleset's escalation rules (data, see
triage.escalation for their vocabulary), tried most urgent first. A ruleset
published before the rules existed (version 1) has none stored; it is scored
with LEGACY_RULES, which say in the same vocabulary what version 1 did:

1. any emergency red flag            -> emergency
2. any see-a-doctor-today flag       -> see_doctor_today
3. a suggested condition, an answer marked as a reason to be assessed, or
   pain for 6 weeks or more          -> book_assessment
4. otherwise                         -> self_care

PEG (Krebs et al. 2009): the mean of pain intensity and the two interference
answers (each 0-10), to one decimal; none unless all three are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import escalation
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


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    kind: str
    group: str = ""
    text: str = ""
    help_text: str = ""
    summary: str = ""
    advice: str = ""
    prompts_assessment: bool = False
    order: int = 0
    why_we_ask: str = ""
    body_region: str = ""  # the body diagram's area that answers it (presentation only, never scored)


@dataclass(frozen=True, slots=True)
class Condition:
    slug: str
    name: str
    threshold: float
    weights: tuple[tuple[str, int], ...]
    summary: str = ""
    clinic_care: str = ""
    order: int = 0


@dataclass(frozen=True, slots=True)
class _ConditionRule:
    """A condition's weights split by kind, precomputed once per ruleset."""

    condition: Condition
    symptoms: tuple[tuple[str, int], ...]
    drivers: tuple[tuple[str, int], ...]
    symptom_total: int


@dataclass(frozen=True, slots=True)
class Ruleset:
    version: int
    questions: tuple[Question, ...]
    conditions: tuple[Condition, ...]
    # None: a ruleset from before escalation rules, scored with LEGACY_RULES.
    rules: tuple[EscalationRule, ...] | None = None
    by_code: Mapping[str, Question] = field(init=False, repr=False, compare=False)
    _emergency: frozenset[str] = field(init=False, repr=False, compare=False)
    _doctor_today: frozenset[str] = field(init=False, repr=False, compare=False)
    _drivers: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _reasons: frozenset[str] = field(init=False, repr=False, compare=False)
    _rules: tuple[_ConditionRule, ...] = field(init=False, repr=False, compare=False)
    _escalation: tuple[EscalationRule, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {question.code: question for question in self.questions}
        if len(by_code) != len(self.questions):
            raise ValueError("question codes must be unique")
        for question in self.questions:
            if question.kind not in KINDS:
                raise ValueError(f"question {question.code!r} has unknown kind {question.kind!r}")
        rules = []
        for condition in self.conditions:
            symptoms, drivers = [], []
            for code, weight in condition.weights:
                question = by_code.get(code)
                if question is None:
                    raise ValueError(f"condition {condition.slug!r} weighs unknown question {code!r}")
                if question.kind == SYMPTOM:
                    symptoms.append((code, weight))
                elif question.kind == DRIVER:
                    drivers.append((code, weight))
                else:
                    raise ValueError(f"condition {condition.slug!r} weighs red flag or context question {code!r}")
            rules.append(_ConditionRule(condition, tuple(symptoms), tuple(drivers), sum(w for _, w in symptoms)))
        ordered = sorted(self.questions, key=lambda q: q.order)
        kinds = {question.code: question.kind for question in ordered}
        for rule in self.rules or ():
            if rule.disposition not in escalation.DISPOSITIONS:
                raise ValueError(f"escalation rule {rule.code!r} has unknown disposition {rule.disposition!r}")
            problems = escalation.when_problems(rule.when, codes=kinds, kinds=KINDS, durations=DURATIONS)
            if problems:
                raise ValueError(f"escalation rule {rule.code!r}: {'; '.join(problems)}")
        if self.rules is not None:
            if len({rule.code for rule in self.rules}) != len(self.rules):
                raise ValueError("escalation rule codes must be unique")
            if not any(not rule.when for rule in self.rules):
                # So every answer set gets its disposition from a rule someone wrote.
                raise ValueError("the escalation rules need a fallback: a rule with no conditions")
        object.__setattr__(self, "by_code", by_code)
        object.__setattr__(self, "_emergency", frozenset(q.code for q in ordered if q.kind == EMERGENCY))
        object.__setattr__(self, "_doctor_today", frozenset(q.code for q in ordered if q.kind == DOCTOR_TODAY))
        object.__setattr__(self, "_drivers", tuple(q.code for q in ordered if q.kind == DRIVER))
        object.__setattr__(self, "_reasons", frozenset(q.code for q in ordered if q.prompts_assessment))
        object.__setattr__(self, "_rules", tuple(rules))
        object.__setattr__(
            self, "_escalation", escalation.rules_in_order(LEGACY_RULES if self.rules is None else self.rules)
        )

    @property
    def escalation_rules(self) -> tuple[EscalationRule, ...]:
        """The rules that decide the disposition, in the order they are tried."""
        return self._escalation

    def questions_of_kind(self, *kinds: str) -> tuple[Question, ...]:
        """The questions of the given kinds, in the order patients see them."""
        return tuple(sorted((q for q in self.questions if q.kind in kinds), key=lambda q: q.order))

    def condition(self, slug: str) -> Condition:
        for condition in self.conditions:
            if condition.slug == slug:
                return condition
        raise KeyError(slug)


@dataclass(frozen=True, slots=True)
class Answers:
    """What a person said: the codes answered yes, and the optional measures."""

    yes: frozenset[str]
    pain_duration: str | None = None
    pain_intensity: int | None = None
    age: int | None = None
    enjoyment_interference: int | None = None
    activity_interference: int | None = None

    @classmethod
    def from_mapping(
        cls,
        answers: Mapping[str, bool],
        pain_duration: str | None = None,
        pain_intensity: int | None = None,
        *,
        age: int | None = None,
        enjoyment_interference: int | None = None,
        activity_interference: int | None = None,
    ) -> Answers:
        return cls(
            frozenset(code for code, value in answers.items() if value),
            pain_duration,
            pain_intensity,
            age,
            enjoyment_interference,
            activity_interference,
        )


def peg_score(*, pain_intensity: int | None, enjoyment: int | None, activity: int | None) -> float | None:
    """The PEG score: the mean of the three 0-10 answers to one decimal, or None unless all three are given."""
    if pain_intensity is None or enjoyment is None or activity is None:
        return None
    # A mean of three whole numbers ends in .0, .33.. or .67..: never a rounding tie.
    return round((pain_intensity + enjoyment + activity) / 3, 1)


@dataclass(frozen=True, slots=True)
class ConditionScore:
    slug: str
    name: str
    score: float
    threshold: float
    suggested: bool
    # Every answer that counted, symptoms first, then drivers: the "why".
    matched: tuple[str, ...]
    # The weight each matched answer added.
    contributions: tuple[tuple[str, int], ...]
    symptom_points: int
    driver_points: int
    symptom_total: int
    # Telling symptoms of this condition the person did not report.
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    ruleset_version: int
    disposition: str
    red_flags: tuple[str, ...]
    # Suggested conditions, highest score first, at most MAX_SUGGESTIONS.
    suggestions: tuple[ConditionScore, ...]
    # Every condition's score, in the ruleset's order: the full breakdown.
    scores: tuple[ConditionScore, ...]
    drivers: tuple[str, ...]
    # Why an assessment is advised besides the suggestions (codes, or "pain_duration").
    assessment_reasons: tuple[str, ...]
    # The escalation rule that decided the disposition, and its sentence for the patient.
    rule: str = ""
    reason: str = ""
    # What decided it: the rule's code, then the answers that met its conditions.
    reasons: tuple[str, ...] = ()
    # Context questions answered yes (a cancer history, an accident), in question order.
    context: tuple[str, ...] = ()
    peg: float | None = None
    acc_possible: bool = False


def _score_condition(rule: _ConditionRule, yes: frozenset[str]) -> ConditionScore:
    condition = rule.condition
    matched_symptoms = [(code, weight) for code, weight in rule.symptoms if code in yes]
    symptom_points = sum(weight for _, weight in matched_symptoms)
    # Drivers only raise a condition that a symptom has already started.
    matched_drivers = [(code, weight) for code, weight in rule.drivers if code in yes] if symptom_points else []
    driver_points = sum(weight for _, weight in matched_drivers)
    if symptom_points and rule.symptom_total:
        score = round(min(1.0, (symptom_points + driver_points) / rule.symptom_total), 3)
    else:
        score = 0.0
    contributions = tuple(matched_symptoms + matched_drivers)
    return ConditionScore(
        slug=condition.slug,
        name=condition.name,
        score=score,
        threshold=condition.threshold,
        suggested=score > 0 and score >= condition.threshold,
        matched=tuple(code for code, _ in contributions),
        contributions=contributions,
        symptom_points=symptom_points,
        driver_points=driver_points,
        symptom_total=rule.symptom_total,
        missing=tuple(code for code, _ in rule.symptoms if code not in yes),
    )


def score(ruleset: Ruleset, answers: Answers) -> Assessment:
    """Score ``answers`` against ``ruleset``; codes the ruleset does not know are ignored."""
    yes = answers.yes
    scores = tuple(_score_condition(rule, yes) for rule in ruleset._rules)
    order = {condition.slug: index for index, condition in enumerate(ruleset.conditions)}
    # Ties: the condition with more of its score from symptoms (rather than
    # drivers) first, then the ruleset's own order, so the result is stable.
    suggestions = tuple(
        sorted(
            (s for s in scores if s.suggested),
            key=lambda s: (-s.score, -s.symptom_points / s.symptom_total, order[s.slug]),
        )[:MAX_SUGGESTIONS]
    )
    by_code = ruleset.by_code
    ordered_yes = sorted((code for code in yes if code in by_code), key=lambda code: by_code[code].order)
    emergency = [code for code in ordered_yes if code in ruleset._emergency]
    doctor_today = [code for code in ordered_yes if code in ruleset._doctor_today]
    drivers = tuple(code for code in ruleset._drivers if code in yes)
    reasons = [code for code in ordered_yes if code in ruleset._reasons]
    if answers.pain_duration in ASSESSMENT_DURATIONS:
        reasons.append(DURATION_REASON)

    facts = escalation.Facts(
        yes=yes,
        kinds={code: by_code[code].kind for code in ordered_yes},
        prompts=frozenset(code for code in ordered_yes if code in ruleset._reasons),
        intensity=answers.pain_intensity,
        duration=answers.pain_duration,
        age=answers.age,
        condition_suggested=bool(suggestions),
    )
    # Always a match: a ruleset's rules include a fallback with no conditions.
    rule, triggers = escalation.rules_match(ruleset._escalation, facts)
    disposition, rule_code, reason = rule.disposition, rule.code, escalation.reason_text(rule, facts)

    return Assessment(
        ruleset_version=ruleset.version,
        disposition=disposition,
        red_flags=tuple(emergency + doctor_today),
        suggestions=suggestions,
        scores=scores,
        drivers=drivers,
        assessment_reasons=tuple(reasons),
        rule=rule_code,
        reason=reason,
        reasons=(rule_code, *triggers),
        context=tuple(code for code in ordered_yes if by_code[code].kind == CONTEXT),
        peg=peg_score(
            pain_intensity=answers.pain_intensity,
            enjoyment=answers.enjoyment_interference,
            activity=answers.activity_interference,
        ),
        acc_possible=ACCIDENT_QUESTION in yes and ACCIDENT_QUESTION in by_code,
    )


# --- The JSON contract shared by the ``assess`` command and the API ----------

PAYLOAD_FIELDS = (
    "answers",
    "pain_duration",
    "pain_intensity",
    # Contract version 2 (all optional, so a version 1 request stays valid):
    "age",
    "enjoyment_interference",
    "activity_interference",
)


class InvalidPayload(ValueError):
    """The input does not follow the contract; the message names every problem."""


def answers_from_payload(payload: object, ruleset: Ruleset) -> Answers:
    """Validate a decoded JSON request and turn it into Answers.

    Raises InvalidPayload with a one-line message naming each problem.
    """
    if not isinstance(payload, dict):
        raise InvalidPayload("the input must be a JSON object with an 'answers' field")
    problems = [f"unknown field {key!r}" for key in payload if key not in PAYLOAD_FIELDS]
    answers = payload.get("answers")
    if "answers" not in payload:
        problems.append("'answers' is required (use {} for none)")
    elif not isinstance(answers, dict):
        problems.append("'answers' must be an object mapping question codes to true or false")
    else:
        for code, value in answers.items():
            if code not in ruleset.by_code:
                problems.append(f"unknown question code {code!r}")
            elif not isinstance(value, bool):
                problems.append(f"answer to {code!r} must be true or false, not {_json_repr(value)}")
    duration = payload.get("pain_duration")
    if duration is not None and duration not in DURATIONS:
        problems.append(f"'pain_duration' must be one of {', '.join(DURATIONS)}, not {_json_repr(duration)}")
    intensity = payload.get("pain_intensity")
    if intensity is not None and (
        isinstance(intensity, bool) or not isinstance(intensity, int) or intensity not in INTENSITY_RANGE
    ):
        problems.append(f"'pain_intensity' must be a whole number from 0 to 10, not {_json_repr(intensity)}")
    for name in ("enjoyment_interference", "activity_interference"):
        value = payload.get(name)
        if value is not None and not _whole_number_in(value, INTERFERENCE_RANGE):
            problems.append(f"{name!r} must be a whole number from 0 to 10, not {_json_repr(value)}")
    age = payload.get("age")
    if age is not None and not _whole_number_in(age, AGE_RANGE):
        problems.append(
            f"'age' must be a whole number of years from 16 to 110 (the check is for adults), not {_json_repr(age)}"
        )
    if problems:
        raise InvalidPayload("; ".join(problems))
    return Answers.from_mapping(
        answers,
        duration,
        intensity,
        age=age,
        enjoyment_interference=payload.get("enjoyment_interference"),
        activity_interference=payload.get("activity_interference"),
    )


def _whole_number_in(value: object, allowed: range) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and value in allowed


def assessment_to_payload(assessment: Assessment) -> dict[str, object]:
    """The contract's response: disposition, suggested conditions (with the answers for and against
    each), drivers, red flags, and (version 2) the PEG score, whether ACC may cover it and what decided it."""
    return {
        "disposition": assessment.disposition,
        "conditions": [
            {
                "slug": s.slug,
                "name": s.name,
                "score": s.score,
                "matched": list(s.matched),
                "against": list(s.missing),
            }
            for s in assessment.suggestions
        ],
        "drivers": list(assessment.drivers),
        "red_flags": list(assessment.red_flags),
        "peg": assessment.peg,
        "acc_possible": assessment.acc_possible,
        "reasons": list(assessment.reasons),
    }


def _json_repr(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (int, float)):
        return str(value)
    return "an " + ("object" if isinstance(value, dict) else "array" if isinstance(value, list) else "value")
