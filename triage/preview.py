"""What would change if the draft ruleset were published: the publish page's preview.

Re-scores recent submissions with the draft (scoring is pure, so this is
cheap) and counts what moves. A read, kept in triage with the publishing it
serves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from . import scoring
from .models import Disposition, Submission, Suggestion
from .selectors import ruleset_from_content

# A result at these levels came from a red flag or an escalation rule: the preview lists each the draft changes.
RED_FLAG_LEVELS = (Disposition.EMERGENCY, Disposition.SEE_DOCTOR_TODAY, Disposition.SEE_GP_SOON)
PREVIEW_DEFAULT = 500
PREVIEW_MAX = 5000


@dataclass(frozen=True)
class ChangedCase:
    reference: str
    pk: int
    before: str
    after: str


@dataclass(frozen=True)
class RulesetPreview:
    compared: int
    disposition_changed: int
    top_changed: int
    disposition_moves: list[tuple[str, str, int]]
    red_flag_changes: list[ChangedCase]
    problem: str | None = None


def ruleset_change_preview(*, draft_content: dict, last: int = PREVIEW_DEFAULT) -> RulesetPreview:
    """Re-score the last ``last`` submissions with the draft and count what changes (2 queries)."""
    try:
        draft = ruleset_from_content(number=0, content=draft_content)
    except ValueError as error:
        return RulesetPreview(0, 0, 0, [], [], problem=str(error))
    rows = Submission.objects.order_by("-created_at", "-pk").values_list(
        "pk", "reference", "answers", "pain_duration", "pain_intensity", "age", "disposition"
    )[:last]
    tops = dict(
        Suggestion.objects.filter(rank=1, submission_id__in=[r[0] for r in rows]).values_list(
            "submission_id", "condition_id"
        )
    )
    moves: Counter = Counter()
    top_changed = 0
    red_flag_changes = []
    compared = 0
    for pk, reference, answers, duration, intensity, age, disposition in rows:
        compared += 1
        # Age counts (a cancer history at 50 or over); interference never changes a disposition.
        assessment = scoring.score(
            draft, scoring.Answers.from_mapping(answers or {}, duration or None, intensity, age=age)
        )
        if assessment.disposition != disposition:
            moves[(disposition, assessment.disposition)] += 1
            if disposition in RED_FLAG_LEVELS:
                red_flag_changes.append(ChangedCase(reference, pk, disposition, assessment.disposition))
        new_top = assessment.suggestions[0].slug if assessment.suggestions else None
        if new_top != tops.get(pk):
            top_changed += 1
    labels = dict(Disposition.choices)
    return RulesetPreview(
        compared=compared,
        disposition_changed=sum(moves.values()),
        top_changed=top_changed,
        disposition_moves=[(labels.get(a, a), labels.get(b, b), n) for (a, b), n in moves.most_common()],
        red_flag_changes=red_flag_changes,
    )
