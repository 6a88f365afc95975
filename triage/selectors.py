"""Reads: rows in, plain data out, in a fixed number of queries."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from django.conf import settings

from . import field_texts, scoring
from .models import (
    Clinic,
    Condition,
    ConditionWeight,
    EscalationRule,
    Question,
    QuestionnaireField,
    RulesetVersion,
    Submission,
)

T = TypeVar("T")


class NoPublishedRuleset(Exception):
    """No ruleset has been published yet (the seed migration has not run)."""


def ruleset_from_content(*, number: int, content: dict) -> scoring.Ruleset:
    """Build the scoring Ruleset from a published (or draft) content snapshot."""
    return scoring.Ruleset(
        version=number,
        questions=tuple(
            scoring.Question(
                code=q["code"],
                kind=q["kind"],
                group=q["group"],
                text=q["text"],
                help_text=q["help_text"],
                summary=q["summary"],
                advice=q["advice"],
                prompts_assessment=q["prompts_assessment"],
                order=q["order"],
                why_we_ask=q.get("why_we_ask", ""),
                # Snapshots published before questions could depend on others have no enable_when.
                enable_when=tuple((c["question"], c["answer"]) for c in q.get("enable_when") or ()),
                body_region=q.get("body_region", ""),
            )
            for q in content["questions"]
        ),
        conditions=tuple(
            scoring.Condition(
                slug=c["slug"],
                name=c["name"],
                threshold=float(c["threshold"]),
                weights=tuple((code, int(weight)) for code, weight in c["weights"]),
                summary=c["summary"],
                clinic_care=c["clinic_care"],
                order=c["order"],
            )
            for c in content["conditions"]
        ),
        # Absent from version 1, which is scored with scoring.LEGACY_RULES.
        rules=None if "escalation_rules" not in content else escalation_rules_from_content(content),
    )


def escalation_rules_from_content(content: dict) -> tuple[scoring.EscalationRule, ...]:
    return tuple(
        scoring.EscalationRule(
            code=r["code"],
            disposition=r["disposition"],
            when=r["conditions"],
            reason=r["reason"],
            source=r["source"],
            order=r["order"],
        )
        for r in content.get("escalation_rules", ())
    )


@lru_cache(maxsize=16)
def _published_cached(number: int) -> tuple[scoring.Ruleset, dict[str, field_texts.FieldText]]:
    # A published version never changes and its number is never reused (only
    # a test's rolled-back transaction could do that: tests clear this cache),
    # so a parsed copy can be kept for the life of the process.
    content = RulesetVersion.objects.values_list("content", flat=True).get(number=number)
    return ruleset_from_content(number=number, content=content), field_texts.field_texts_from_content(content)


def _ruleset_cached(number: int) -> scoring.Ruleset:
    return _published_cached(number)[0]


class RecentRead(Generic[T]):
    """A read kept for ``settings.TRIAGE_CONTENT_REREAD_SECONDS`` in this process, then made again.

    Every questionnaire page needs the latest ruleset number and the final
    submit the clinic list; each is one small query, and under load the
    same answer hundreds of times a second. Kept for a second, a busy
    worker asks once a second instead, and a quiet one, whose reads have
    aged, asks on every request as before. A change made in this process
    (publishing, saving a clinic) clears the read at once; other processes
    see it within that second. 0 reads every time.
    """

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._value: T | None = None
        self._until = 0.0

    def __call__(self) -> T:
        now = time.monotonic()
        if self._value is None or now >= self._until:
            self._value = self._read()
            self._until = now + settings.TRIAGE_CONTENT_REREAD_SECONDS
        return self._value

    def clear(self) -> None:
        self._value, self._until = None, 0.0


@RecentRead
def _latest_number() -> int | None:
    return RulesetVersion.objects.order_by("-number").values_list("number", flat=True).first()


def ruleset_get() -> scoring.Ruleset:
    """The latest published ruleset: no query when read in the last second, else one small query."""
    number = _latest_number()
    if number is None:
        _latest_number.clear()  # not kept: the seed migration may be about to publish
        raise NoPublishedRuleset("No clinical ruleset has been published; run the migrations.")
    return _ruleset_cached(number)


def ruleset_get_version(*, number: int) -> scoring.Ruleset:
    """A specific published ruleset by its number (a submission's ``ruleset_version_id``)."""
    return _ruleset_cached(number)


def field_texts_get(*, number: int) -> field_texts.FieldTexts:
    """The words of the questionnaire's own fields in a published ruleset (cached with it: no query then)."""
    return _published_cached(number)[1]


def recent_reads_forget() -> None:
    """Forget the recent reads (``RecentRead``): the next page reads the latest number and the clinics again."""
    _latest_number.clear()
    clinic_list.clear()


def ruleset_cache_clear() -> None:
    """Forget the parsed versions and the recent reads (tests, whose rollbacks reuse version numbers)."""
    _published_cached.cache_clear()
    recent_reads_forget()


def latest_ruleset_forget() -> None:
    """A version was just published: the next page reads the latest number again."""
    _latest_number.clear()


def clinic_list_forget(**_signal) -> None:
    """A clinic was saved or deleted (triage.apps connects this): the next page reads the list again."""
    clinic_list.clear()


def draft_content_get() -> dict:
    """The content as currently edited in the admin (retired rows left out), in the snapshot format."""
    weights: dict[str, list[list]] = {}
    live_weights = ConditionWeight.objects.filter(condition__retired_at=None, question__retired_at=None)
    for condition_id, code, weight in live_weights.values_list("condition_id", "question__code", "weight").order_by(
        "question__order", "question__code"
    ):
        weights.setdefault(condition_id, []).append([code, weight])
    return {
        "questions": list(
            Question.objects.filter(retired_at=None).values(
                "code",
                "kind",
                "group",
                "text",
                "help_text",
                "summary",
                "advice",
                "prompts_assessment",
                "order",
                "why_we_ask",
                "enable_when",
                "body_region",
            )
        ),
        "conditions": [
            {
                "slug": c["slug"],
                "name": c["name"],
                "summary": c["summary"],
                "clinic_care": c["clinic_care"],
                "threshold": str(c["threshold"]),
                "order": c["order"],
                "weights": weights.get(c["slug"], []),
            }
            for c in Condition.objects.filter(retired_at=None).values(
                "slug", "name", "summary", "clinic_care", "threshold", "order"
            )
        ],
        "escalation_rules": list(
            EscalationRule.objects.values("order", "code", "disposition", "conditions", "reason", "source")
        ),
        "fields": list(QuestionnaireField.objects.values("code", "label", "help_text", "why_we_ask")),
    }


@RecentRead
def clinic_list() -> tuple[Clinic, ...]:
    """Every clinic, in order (kept for a second: ``RecentRead``; saving or deleting one forgets it)."""
    return tuple(Clinic.objects.all())


# Result tokens a session created. A result (and everything reached from it:
# delete, PDF, booking) opens only for these, so a result link "expires" with
# the session that made it and a copied or shared link reveals nothing later.
RESULT_TOKENS_SESSION_KEY = "triage_result_tokens"


def submission_get_for_session(*, session, token: str) -> Submission | None:
    """The submission behind ``token`` if this session created it (no query for other tokens)."""
    if token not in session.get(RESULT_TOKENS_SESSION_KEY, ()):
        return None
    return submission_get_by_token(token=token)


def submission_get_by_token(*, token: str) -> Submission | None:
    """The submission behind a result link, with its clinic (its ruleset comes from the cache by number).

    The clinic comes from the recently read clinic list, not a join: the
    join cost PostgreSQL more to plan than the row costs to read (1.1 ->
    0.7 ms per result page). A clinic not in that list (made in the last
    second elsewhere) is read when first used.
    """
    try:
        submission = Submission.objects.get(token=token)
    except Submission.DoesNotExist:
        return None
    if submission.clinic_id is not None:
        clinic = next((c for c in clinic_list() if c.pk == submission.clinic_id), None)
        if clinic is not None:
            submission.clinic = clinic
    return submission


# --- The result page, assembled for the template --------------------------------


@dataclass(frozen=True)
class AnswerLine:
    code: str
    summary: str


@dataclass(frozen=True)
class SuggestedCondition:
    slug: str
    name: str
    summary: str
    clinic_care: str
    score: float
    why: tuple[AnswerLine, ...]
    # Its telling symptoms the person did not report: "less likely because".
    against: tuple[AnswerLine, ...] = ()


@dataclass(frozen=True)
class DriverLine:
    code: str
    summary: str
    advice: str


@dataclass(frozen=True)
class ResultPage:
    submission: Submission
    disposition: str
    red_flags: tuple[AnswerLine, ...]
    suggestions: tuple[SuggestedCondition, ...]
    drivers: tuple[DriverLine, ...]
    reasons: tuple[AnswerLine, ...]
    clinics: tuple[Clinic, ...]
    # Why this disposition, in one sentence (ruleset 2 on; empty for older results).
    reason: str = ""
    # Context answered yes with what it means for the person (e.g. ACC may cover an accident).
    context_notes: tuple[DriverLine, ...] = ()


DURATION_REASON_TEXT = "Pain that has lasted 6 weeks or more"


def result_page_get(*, submission: Submission) -> ResultPage:
    """Everything the result page shows, in words from the ruleset the answers were scored with."""
    ruleset = ruleset_get_version(number=submission.ruleset_version_id)
    result = submission.result

    def line(code: str) -> AnswerLine:
        question = ruleset.by_code.get(code)
        if question is None:
            return AnswerLine(code, DURATION_REASON_TEXT if code == scoring.DURATION_REASON else code)
        return AnswerLine(code, question.summary)

    scores = {s["slug"]: s for s in result.get("scores", [])}
    said_yes = {code for code, value in submission.answers.items() if value}
    # Only questions the person was asked can count against a condition: a follow-up whose
    # enable_when their answers did not meet was never shown (as scoring.score decides it).
    said = {code: code in said_yes for code in ruleset.by_code}
    suggestions = []
    for slug in result.get("suggestions", []):
        condition = ruleset.condition(slug)
        against = tuple(
            line(code)
            for code, _weight in condition.weights
            if ruleset.by_code[code].kind == scoring.SYMPTOM
            and code not in said_yes
            and ruleset.question_enabled(ruleset.by_code[code], said)
        )
        suggestions.append(
            SuggestedCondition(
                slug=slug,
                name=condition.name,
                summary=condition.summary,
                clinic_care=condition.clinic_care,
                score=scores[slug]["score"],
                why=tuple(line(code) for code, _weight in scores[slug]["matched"]),
                against=against,
            )
        )
    drivers = tuple(
        DriverLine(code, ruleset.by_code[code].summary, ruleset.by_code[code].advice)
        for code in result.get("drivers", [])
    )
    # After a GP or physiotherapist, the podiatry assessment can follow: the clinics are shown then too.
    needs_clinic = submission.disposition in {
        scoring.DISPOSITION_SEE_GP_SOON,
        scoring.DISPOSITION_BOOK_ASSESSMENT,
        scoring.DISPOSITION_SELF_CARE,
    }
    if not needs_clinic:
        clinics: tuple[Clinic, ...] = ()
    elif submission.clinic is not None:
        clinics = (submission.clinic,)
    else:
        clinics = tuple(clinic_list())
    return ResultPage(
        submission=submission,
        disposition=submission.disposition,
        red_flags=tuple(line(code) for code in result.get("red_flags", [])),
        suggestions=tuple(suggestions),
        drivers=drivers,
        reasons=tuple(line(code) for code in result.get("assessment_reasons", [])),
        clinics=clinics,
        reason=result.get("reason", ""),
        context_notes=tuple(
            DriverLine(code, ruleset.by_code[code].summary, ruleset.by_code[code].advice)
            for code in result.get("context", [])
            if code in ruleset.by_code and ruleset.by_code[code].advice
        ),
    )
