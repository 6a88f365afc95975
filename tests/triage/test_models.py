"""The models' fixed option sets, and scoring's copies of them (scoring imports no Django, so it copies)."""

from __future__ import annotations

from triage import scoring, vocabulary
from triage.models import URGENCY_ORDER, Disposition, PainDuration, QuestionKind


def copied(prefix: str) -> dict[str, str]:
    """scoring's constants named ``<prefix>*``, in the order they are defined (in triage.vocabulary)."""
    return {name.removeprefix(prefix): value for name, value in vars(vocabulary).items() if name.startswith(prefix)}


def test_scoring_has_exactly_the_models_dispositions_most_urgent_first():
    assert list(copied("DISPOSITION_").items()) == [(member.name, member.value) for member in Disposition]


def test_scoring_has_exactly_the_models_question_kinds_in_order():
    assert tuple(QuestionKind.values) == scoring.KINDS
    assert {member.name: getattr(scoring, member.name, None) for member in QuestionKind} == {
        member.name: member.value for member in QuestionKind
    }


def test_scoring_has_exactly_the_models_pain_durations_in_order():
    assert tuple(PainDuration.values) == scoring.DURATIONS


def test_the_durations_that_prompt_an_assessment_are_pain_durations_of_6_weeks_or_more():
    assert {PainDuration.SIX_TO_12_WEEKS, PainDuration.OVER_12_WEEKS} == scoring.ASSESSMENT_DURATIONS


def test_the_call_lists_urgency_order_lists_every_disposition_in_the_order_declared():
    assert [code for code in URGENCY_ORDER if code in Disposition.values] == list(Disposition.values)
