"""A submission's review page: who to call and what they asked for (everyone who may see it), then
what the patient said, grouped as they saw it, and how it was scored (staff who may see the answers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from booking.models import BookingRequest
from triage import scoring
from triage.models import PainDuration, QuestionGroup, Submission
from triage.selectors import DURATION_REASON_TEXT, ruleset_get_version
from triage.steps import QUESTION_STEPS, SYMPTOMS


@dataclass(frozen=True)
class AnswerRow:
    code: str
    text: str
    answer: bool | None  # None: not asked (the questionnaire stopped at a red flag)
    kind: str


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    rows: tuple[AnswerRow, ...]
    area: str = ""  # the body area, for the symptoms asked area by area


@dataclass(frozen=True)
class Contribution:
    code: str
    summary: str
    weight: int


@dataclass(frozen=True)
class ScoreRow:
    slug: str
    name: str
    score: float
    threshold: float
    suggested: bool
    symptom_total: int
    contributions: tuple[Contribution, ...]
    points: int


@dataclass(frozen=True)
class SubmissionReview:
    submission: Submission
    groups: tuple[AnswerGroup, ...]
    pain_duration: str
    pain_intensity: int | None
    red_flags: tuple[str, ...]
    scores: tuple[ScoreRow, ...]
    drivers: tuple[str, ...]
    reasons: tuple[str, ...]
    age: int | None = None
    enjoyment_interference: int | None = None
    activity_interference: int | None = None
    peg: float | None = None
    # The escalation rule's sentence and code that decided the disposition (ruleset 2 on; empty before).
    reason: str = ""
    rule: str = ""
    # Context the patient reported (a cancer history, an accident), in words.
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class BookingRow:
    pk: int
    status: str
    status_label: str
    is_open: bool
    clinic: str
    received_at: object
    preferred: str  # days and times, in words
    name: str
    phone: str
    email: str
    notes: str


@dataclass(frozen=True)
class SubmissionSummary:
    """What reception may see: the reference, clinic, disposition, status, consented contact, booking requests."""

    submission: Submission
    bookings: tuple[BookingRow, ...]

    @property
    def consent_on_booking_form(self) -> bool:
        """Agreed to be contacted on a booking form (every booking request carries that consent)."""
        return bool(self.bookings)

    @property
    def contactable(self) -> bool:
        return self.submission.contact_consent or self.consent_on_booking_form


def submission_summary_get(*, submission: Submission) -> SubmissionSummary:
    """The submission's follow-up facts and its booking requests (newest first), in one query."""
    requests = BookingRequest.objects.filter(submission=submission).select_related("clinic").order_by("-created_at")
    return SubmissionSummary(
        submission=submission,
        bookings=tuple(
            BookingRow(
                pk=b.pk,
                status=b.status,
                status_label=b.get_status_display(),
                is_open=b.is_open,
                clinic=b.clinic.name,
                received_at=b.created_at,
                preferred=b.preferred_in_words(),
                name=b.name,
                phone=b.phone,
                email=b.email,
                notes=b.notes,
            )
            for b in requests
        ),
    )


def submission_review_get(*, submission: Submission) -> SubmissionReview:
    """The patient's answers grouped as they saw them, and the score breakdown, in words."""
    ruleset = ruleset_get_version(number=submission.ruleset_version_id)
    answers = submission.answers or {}
    groups = []
    for step in QUESTION_STEPS:  # as the patient went through them
        title, questions = step.title, ruleset.questions_of_kind(*step.kinds)
        if step is SYMPTOMS:
            # Symptoms were asked body area by body area.
            by_group: dict[str, list[AnswerRow]] = defaultdict(list)
            for q in questions:
                by_group[q.group].append(AnswerRow(q.code, q.text, answers.get(q.code), q.kind))
            for group_key, rows in by_group.items():
                label = QuestionGroup(group_key).label if group_key in QuestionGroup.values else group_key
                groups.append(AnswerGroup(title, tuple(rows), area=label))
        else:
            groups.append(
                AnswerGroup(title, tuple(AnswerRow(q.code, q.text, answers.get(q.code), q.kind) for q in questions))
            )
    result = submission.result or {}

    def summary(code: str) -> str:
        question = ruleset.by_code.get(code)
        if question is None:
            return DURATION_REASON_TEXT if code == scoring.DURATION_REASON else code
        return question.summary

    scores = []
    for row in result.get("scores", []):
        try:
            name = ruleset.condition(row["slug"]).name
        except KeyError:
            name = row["slug"]
        contributions = tuple(Contribution(code, summary(code), int(weight)) for code, weight in row["matched"])
        scores.append(
            ScoreRow(
                slug=row["slug"],
                name=name,
                score=row["score"],
                threshold=row["threshold"],
                suggested=row["suggested"],
                symptom_total=row["symptom_total"],
                contributions=contributions,
                points=sum(c.weight for c in contributions),
            )
        )
    scores.sort(key=lambda s: (not s.suggested, -s.score))
    return SubmissionReview(
        submission=submission,
        groups=tuple(groups),
        pain_duration=PainDuration(submission.pain_duration).label if submission.pain_duration else "",
        pain_intensity=submission.pain_intensity,
        red_flags=tuple(summary(code) for code in result.get("red_flags", [])),
        age=submission.age,
        enjoyment_interference=submission.enjoyment_interference,
        activity_interference=submission.activity_interference,
        peg=submission.peg,
        reason=result.get("reason", ""),
        rule=result.get("rule", ""),
        context=tuple(summary(code) for code in result.get("context", [])),
        scores=tuple(scores),
        drivers=tuple(summary(code) for code in result.get("drivers", [])),
        reasons=tuple(summary(code) for code in result.get("assessment_reasons", [])),
    )
