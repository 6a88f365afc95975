"""Builders for the clinic side's check-in tests: submissions with a known PEG and advice, and their check-ins."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from followups.models import CheckIn, CheckInStatus
from tests.review_helpers import make_submission, symptoms_of
from triage import scoring
from triage.models import Submission
from triage.services import ContactDetails


def submission_with_peg(
    ruleset: scoring.Ruleset,
    *,
    peg: tuple[int, int, int] | None = (6, 6, 6),
    disposition: str = "book_assessment",
    condition: str | None = "sciatica",
    clinic_id: int | None = None,
    pain_only: int | None = None,
) -> Submission:
    """A submission whose baseline PEG is the mean of ``peg`` (None: pain alone, as older ones), its advice forced."""
    pain, enjoyment, activity = peg if peg else (pain_only, None, None)
    submission = make_submission(
        ruleset,
        yes=symptoms_of(ruleset, condition) if condition else frozenset(),
        pain_intensity=pain,
        enjoyment_interference=enjoyment,
        activity_interference=activity,
        clinic_id=clinic_id,
        contact=ContactDetails(name="Ana", email="ana@example.com"),
    )
    Submission.objects.filter(pk=submission.pk).update(
        disposition=disposition, followup_consent=True, followup_consent_at=submission.created_at
    )
    submission.refresh_from_db()
    return submission


def checkin(
    submission: Submission,
    *,
    week: int = 6,
    status: str = CheckInStatus.ANSWERED,
    peg: tuple[int, int, int] | None = None,
    global_change: int | None = None,
    red_flags: list[str] | None = None,
    seen: str = "",
) -> CheckIn:
    sent = timezone.now() - timedelta(days=3)
    answered = status == CheckInStatus.ANSWERED
    pain, enjoyment, activity = peg or (None, None, None)
    return CheckIn.objects.create(
        submission=submission,
        week=week,
        status=status,
        sent_at=None if status == "never_sent" else sent,
        expires_at=sent + timedelta(days=14),
        opened_at=sent + timedelta(hours=2) if answered or status == CheckInStatus.OPENED else None,
        answered_at=sent + timedelta(hours=3) if answered else None,
        pain_intensity=pain,
        enjoyment_interference=enjoyment,
        activity_interference=activity,
        global_change=global_change,
        seen_professional=seen,
        red_flags=red_flags or [],
    )
