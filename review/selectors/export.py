"""The CSV export's rows, read a chunk at a time."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from followups import outcomes
from followups.models import CHECKIN_WEEKS
from triage.models import Submission

from ..models import Outcome

EXPORT_COLUMNS = (
    "reference",
    "received_at",
    "ruleset_version",
    "disposition",
    "red_flag",
    "red_flag_answers",
    "suggestion_1",
    "suggestion_1_score",
    "suggestion_2",
    "suggestion_2_score",
    "suggestion_3",
    "suggestion_3_score",
    "drivers",
    "pain_duration",
    "pain_intensity",
    "enjoyment_interference",
    "activity_interference",
    "peg",
    "age",
    "decided_by",
    "clinic",
    "contact_consent",
    "status",
    "assigned_to",
    "outcome_conditions",
    "outcome_other",
    "outcome_none_of_these",
    "outcome_recorded_at",
    "booking_status",
    "booking_preferred",
    *(f"checkin_{week}_{part}" for week in CHECKIN_WEEKS for part in ("status", "peg", "global_change", "trajectory")),
)
EXPORT_CHUNK_SIZE = 2000


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _checkin_cells(submission: Submission) -> list[str]:
    """Per week (6, then 12): status, PEG, global rating (1 much better .. 7 much worse), trajectory; blank if none."""
    by_week = {checkin.week: checkin for checkin in submission.checkins.all()}
    cells: list[str] = []
    for week in CHECKIN_WEEKS:
        checkin = by_week.get(week)
        if checkin is None:
            cells += ["", "", "", ""]
            continue
        peg = outcomes.checkin_peg(checkin)
        cells += [
            checkin.status,
            "" if peg is None else f"{peg:.1f}",
            "" if checkin.global_change is None else str(checkin.global_change),
            outcomes.trajectory(submission.peg, checkin) or "",
        ]
    return cells


def export_rows(*, queryset: QuerySet[Submission], chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[list[str]]:
    """The export's rows (header first), read from the database a chunk at a time."""
    yield list(EXPORT_COLUMNS)
    rows = (
        queryset.select_related("clinic", "assigned_to", "outcome")
        .prefetch_related("suggestions", "outcome__conditions", "booking_requests", "checkins")
        .defer("answers", "token", "idempotency_key", "contact_name", "contact_email", "contact_phone")
        .order_by("-created_at", "-pk")
    )
    for s in rows.iterator(chunk_size=chunk_size):
        suggestions = sorted(s.suggestions.all(), key=lambda x: x.rank)[:3]
        cells: list[str] = []
        for i in range(3):
            if i < len(suggestions):
                cells += [suggestions[i].condition_id, f"{suggestions[i].score:.3f}"]
            else:
                cells += ["", ""]
        try:
            outcome = s.outcome
        except Outcome.DoesNotExist:
            outcome = None
        result = s.result or {}
        # The latest booking request, if any (a self-check has at most one open).
        booking = max(s.booking_requests.all(), key=lambda b: b.created_at, default=None)
        yield [
            s.reference,
            timezone.localtime(s.created_at).isoformat(timespec="seconds"),
            str(s.ruleset_version_id),
            s.disposition,
            _yes_no(s.red_flag),
            " ".join(result.get("red_flags", [])),
            *cells,
            " ".join(result.get("drivers", [])),
            s.pain_duration,
            "" if s.pain_intensity is None else str(s.pain_intensity),
            "" if s.enjoyment_interference is None else str(s.enjoyment_interference),
            "" if s.activity_interference is None else str(s.activity_interference),
            "" if s.peg is None else f"{s.peg:.1f}",
            "" if s.age is None else str(s.age),
            result.get("rule", ""),
            s.clinic.slug if s.clinic else "",
            _yes_no(s.contact_consent),
            s.status,
            s.assigned_to.get_username() if s.assigned_to else "",
            " ".join(sorted(c.slug for c in outcome.conditions.all())) if outcome else "",
            _yes_no(outcome.other) if outcome else "",
            _yes_no(outcome.none_found) if outcome else "",
            timezone.localtime(outcome.recorded_at).isoformat(timespec="seconds") if outcome else "",
            booking.status if booking else "",
            booking.preferred_in_words() if booking else "",
            *_checkin_cells(s),
        ]
