"""What would change if the draft ruleset were published: the publish page's preview.

Re-scores past submissions with the draft (scoring is pure, so this is
cheap) and counts what moves. A read, kept in triage with the publishing it
serves.

Content editors are not clinicians: they see counts only, never which
submission. Two rules keep a count from pointing at one person:
- small groups are suppressed: a count from 1 to MIN_GROUP - 1 shows as
  "fewer than MIN_GROUP" (None here), and so does the whole preview when
  fewer than MIN_GROUP submissions were compared;
- the window is one of a few whole-day periods ending at midnight today
  (WINDOWS_DAYS), so comparing two previews cannot isolate a single new
  submission (a new one joins the window only the next day, with that
  day's others).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from . import scoring
from .models import Disposition, Submission, Suggestion
from .selectors import ruleset_from_content

WINDOWS_DAYS = (30, 90, 365)
DEFAULT_DAYS = 90
MIN_GROUP = 10
# A result at these levels came from a red flag or an escalation rule: the preview counts those the draft changes.
RED_FLAG_LEVELS = (Disposition.EMERGENCY, Disposition.SEE_DOCTOR_TODAY, Disposition.SEE_GP_SOON)


@dataclass(frozen=True)
class RulesetPreview:
    days: int
    compared: int | None  # None: fewer than min_group (nothing else is shown then)
    disposition_changed: int | None = None
    top_changed: int | None = None
    red_flag_changed: int | None = None  # red-flag cases whose disposition would change
    disposition_moves: tuple[tuple[str, str, int], ...] = ()  # only moves of at least min_group
    small_moves_hidden: bool = False
    min_group: int = MIN_GROUP
    problem: str | None = None


def window_days(value: str | None) -> int:
    """The preview window asked for, if it is one of the allowed ones; else the default."""
    try:
        days = int(value or DEFAULT_DAYS)
    except ValueError:
        return DEFAULT_DAYS
    return days if days in WINDOWS_DAYS else DEFAULT_DAYS


def _shown(count: int, min_group: int) -> int | None:
    return count if count == 0 or count >= min_group else None


def ruleset_change_preview(
    *, draft_content: dict, days: int = DEFAULT_DAYS, now: datetime | None = None, min_group: int = MIN_GROUP
) -> RulesetPreview:
    """Re-score the submissions of the ``days`` whole days before today with the draft; counts only (2 queries)."""
    try:
        draft = ruleset_from_content(number=0, content=draft_content)
    except ValueError as error:
        return RulesetPreview(days, None, min_group=min_group, problem=str(error))
    today = timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = list(
        Submission.objects.filter(created_at__gte=today - timedelta(days=days), created_at__lt=today).values_list(
            "pk", "answers", "pain_duration", "pain_intensity", "age", "disposition"
        )
    )
    if len(rows) < min_group:
        return RulesetPreview(days, None, min_group=min_group)
    tops = dict(
        Suggestion.objects.filter(rank=1, submission_id__in=[r[0] for r in rows]).values_list(
            "submission_id", "condition_id"
        )
    )
    moves: Counter = Counter()
    top_changed = red_flag_changed = 0
    for pk, answers, duration, intensity, age, disposition in rows:
        # Age counts (a cancer history at 50 or over); interference never changes a disposition.
        assessment = scoring.score(
            draft, scoring.Answers.from_mapping(answers or {}, duration or None, intensity, age=age)
        )
        if assessment.disposition != disposition:
            moves[(disposition, assessment.disposition)] += 1
            red_flag_changed += disposition in RED_FLAG_LEVELS
        new_top = assessment.suggestions[0].slug if assessment.suggestions else None
        top_changed += new_top != tops.get(pk)
    labels = dict(Disposition.choices)
    return RulesetPreview(
        days=days,
        compared=len(rows),
        disposition_changed=_shown(sum(moves.values()), min_group),
        top_changed=_shown(top_changed, min_group),
        red_flag_changed=_shown(red_flag_changed, min_group),
        disposition_moves=tuple(
            (labels.get(a, a), labels.get(b, b), n) for (a, b), n in moves.most_common() if n >= min_group
        ),
        small_moves_hidden=any(n < min_group for n in moves.values()),
        min_group=min_group,
    )
