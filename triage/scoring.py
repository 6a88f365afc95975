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
from .vocabulary import (  # re-exported: callers use scoring.<name>
    ACCIDENT_QUESTION,
    AGE_RANGE,  # noqa: F401  (re-exported)
    ASSESSMENT_DURATIONS,
    CONTEXT,
    DISPOSITION_BOOK_ASSESSMENT,  # noqa: F401  (re-exported)
    DISPOSITION_EMERGENCY,  # noqa: F401  (re-exported)
    DISPOSITION_SEE_DOCTOR_TODAY,  # noqa: F401  (re-exported)
    DISPOSITION_SEE_GP_SOON,  # noqa: F401  (re-exported)
    DISPOSITION_SELF_CARE,  # noqa: F401  (re-exported)
    DOCTOR_TODAY,
    DRIVER,
    DURATION_REASON,
    DURATIONS,
    EMERGENCY,
    INTENSITY_RANGE,  # noqa: F401  (re-exported)
    INTERFERENCE_RANGE,  # noqa: F401  (re-exported)
    KINDS,
    LEGACY_RULES,
    MAX_SUGGESTIONS,
    SAFETY_KINDS,  # noqa: F401  (re-exported)
    SYMPTOM,
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
    # Asked only when any one of these (code, answer) pairs was answered so;
    # empty: always asked. A question not asked is left out of the answers.
    enable_when: tuple[tuple[str, bool], ...] = ()
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
    # Questions always asked, and those asked only when an earlier answer enables them (score() per call).
    _always_asked: frozenset[str] = field(init=False, repr=False, compare=False)
    _conditional: tuple[Question, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {question.code: question for question in self.questions}
        if len(by_code) != len(self.questions):
            raise ValueError("question codes must be unique")
        for question in self.questions:
            if question.kind not in KINDS:
                raise ValueError(f"question {question.code!r} has unknown kind {question.kind!r}")
            for code, _answer in question.enable_when:
                if code not in by_code or code == question.code:
                    raise ValueError(f"question {question.code!r} is asked when {code!r} is answered: no such question")
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
        object.__setattr__(self, "_always_asked", frozenset(q.code for q in self.questions if not q.enable_when))
        object.__setattr__(self, "_conditional", tuple(q for q in self.questions if q.enable_when))
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

    def question_enabled(self, question: Question, answers: Mapping[str, bool]) -> bool:
        """Whether ``question`` is asked, given the answers so far (code to yes/no; absent: not asked)."""
        return not question.enable_when or any(answers.get(code) is expected for code, expected in question.enable_when)

    def asked(self, yes: frozenset[str]) -> frozenset[str]:
        """The questions a person who answered ``yes`` to these (and no to the rest) was asked.

        ``question_enabled`` with every answer known: an enabling question is
        always a question of this ruleset (checked above), answered yes or no.
        """
        return self._always_asked | frozenset(
            q.code for q in self._conditional if any((code in yes) is expected for code, expected in q.enable_when)
        )

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
    # Telling symptoms of this condition the person did not report, among those they were
    # asked (a follow-up whose enable_when the answers did not meet was never asked).
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


def _score_condition(rule: _ConditionRule, yes: frozenset[str], asked: frozenset[str]) -> ConditionScore:
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
        missing=tuple(code for code, _ in rule.symptoms if code not in yes and code in asked),
    )


def score(ruleset: Ruleset, answers: Answers) -> Assessment:
    """Score ``answers`` against ``ruleset``; codes the ruleset does not know are ignored."""
    yes = answers.yes
    # What the person was asked: every question whose enable_when their answers meet (a code not
    # answered yes counts as no), so a follow-up never shown is never a telling symptom "not reported".
    asked = ruleset.asked(yes)
    scores = tuple(_score_condition(rule, yes, asked) for rule in ruleset._rules)
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
